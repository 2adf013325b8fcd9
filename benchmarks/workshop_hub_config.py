"""JupyterHub configuration for ``benchmarks/workshop_load.py`` (a local, throw-away hub).

Not for a real room: ``SharedPasswordAuthenticator`` (the successor of ``DummyAuthenticator``)
lets anyone in with the shared password and
``SimpleLocalProcessSpawner`` runs every learner as the same system user. Real rooms: see
``deploy/`` (The Littlest JupyterHub, or Zero to JupyterHub on Kubernetes).

Every value comes from an environment variable that ``workshop_load.py`` sets:
``WORKSHOP_HUB_DIR`` (working folder: database, cookie secret, learners' homes),
``WORKSHOP_HUB_PORT`` / ``WORKSHOP_HUB_API_PORT`` / ``WORKSHOP_PROXY_API_PORT`` (free ports on
127.0.0.1), ``WORKSHOP_CHP`` (configurable-http-proxy executable), ``WORKSHOP_SINGLEUSER``
(the venv's ``jupyterhub-singleuser``), ``WORKSHOP_ROOT`` (the folder each learner's server
opens: the repository), ``WORKSHOP_PASSWORD`` and ``WORKSHOP_API_TOKEN`` (the benchmark's
admin service token).
"""
import os

env = os.environ
hub_dir = env["WORKSHOP_HUB_DIR"]
c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(env["WORKSHOP_HUB_PORT"])
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env["WORKSHOP_HUB_API_PORT"])
c.JupyterHub.db_url = f"sqlite:///{hub_dir}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = f"{hub_dir}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = f"{hub_dir}/jupyterhub.pid"
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
c.JupyterHub.concurrent_spawn_limit = 200
c.JupyterHub.log_level = env.get("WORKSHOP_HUB_LOG_LEVEL", "WARN")

c.ConfigurableHTTPProxy.command = [env["WORKSHOP_CHP"]]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env['WORKSHOP_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.should_start = True

c.JupyterHub.authenticator_class = "shared-password"  # jupyterhub.authenticators.shared
c.SharedPasswordAuthenticator.user_password = env["WORKSHOP_PASSWORD"]
c.Authenticator.allow_all = True

c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = f"{hub_dir}/home/{{username}}"
c.Spawner.cmd = [env["WORKSHOP_SINGLEUSER"]]
c.Spawner.notebook_dir = env["WORKSHOP_ROOT"]
c.Spawner.default_url = "/lab"
# Kernels talk to their server over Unix sockets, not TCP ports: 20 servers on one machine each
# picking "free" TCP ports for their kernels at the same moment collide now and then
# (ZMQError: Address already in use, the kernel dies), which a hub on one machine must avoid.
# The sockets live in a short runtime folder: a Unix socket's path has at most 107 bytes.
c.Spawner.args = ["--KernelManager.transport=ipc"]
c.Spawner.environment = {
    "JUPYTER_RUNTIME_DIR": lambda spawner: f"{hub_dir}/rt/{spawner.user.name}"}
if os.geteuid() == 0:  # containers and CI machines often run as root
    c.Spawner.args.append("--allow-root")
# A loaded 2-core machine starting 20 servers at once: allow minutes, not the defaults' seconds.
c.Spawner.start_timeout = 600
c.Spawner.http_timeout = 600
# The learners' servers run with the same interpreter and packages as the hub (the venv).
c.Spawner.env_keep = ["PATH", "PYTHONPATH", "VIRTUAL_ENV", "LANG", "LC_ALL"]

c.JupyterHub.services = [{"name": "workshop-load", "api_token": env["WORKSHOP_API_TOKEN"]}]
c.JupyterHub.load_roles = [{
    "name": "workshop-load",
    "scopes": ["admin:users", "admin:servers", "list:users", "read:users", "access:servers"],
    "services": ["workshop-load"],
}]
