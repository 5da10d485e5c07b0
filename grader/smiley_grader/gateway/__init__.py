"""The training gateway: students' kernels ask for a verdict, the class's Dask cluster trains it.

    kernel --(HTTP, the hub's per-user token, a Keras config as JSON)--> gateway --(Dask)--> workers

A kernel never holds a Dask client: a client runs any code on the workers (`client.submit(os.system,
...)`), with the teacher's rights. The gateway is the only client. It takes a network's Keras config
and nothing else, checks it against the lesson's layers (config_allowlist, the judge's own check),
and submits one fixed function of ours (work.py). What a classmate already trained with the same
seeds is answered from the gateway's verdict cache, whose secret no kernel holds.

- ask.py:     what a kernel may ask, read and checked (one sentence when refused)
- work.py:    the one function the workers run
- jobs.py:    the jobs in flight, one per student at a time
- service.py: the HTTP service (a JupyterHub service on a hub), and `smiley-checks gateway`
"""
