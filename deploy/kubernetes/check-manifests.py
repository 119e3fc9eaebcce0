#!/usr/bin/python3
# Offline check of the manifests, no cluster needed: every document goes through the typed models of the
# Kubernetes Python client (Debian: apt-get install python3-kubernetes) and back. A misspelt or misplaced
# field is dropped by the model and shows up as a difference; a missing required field raises.
#   /usr/bin/python3 deploy/kubernetes/check-manifests.py deploy/kubernetes/*.yaml
import sys, yaml, json
from kubernetes import client
api = client.ApiClient()
models = {("v1","Namespace"):"V1Namespace", ("v1","ConfigMap"):"V1ConfigMap", ("v1","Secret"):"V1Secret",
          ("v1","Service"):"V1Service", ("apps/v1","StatefulSet"):"V1StatefulSet"}
def strip(o):
    # Drop empty values the model leaves out, except emptyDir: {} which means something.
    if isinstance(o, dict): return {k: strip(v) for k, v in o.items() if (v is not None and v != {}) or k == "emptyDir"}
    if isinstance(o, list): return [strip(v) for v in o]
    return o
def diff(a, b, path=""):
    out = []
    if isinstance(a, dict) and isinstance(b, dict):
        for k in set(a) | set(b):
            if k not in b: out.append(f"{path}.{k}: dropped by the model (unknown field?)")
            elif k not in a: out.append(f"{path}.{k}: added by the model")
            else: out += diff(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b): out.append(f"{path}: length {len(a)} != {len(b)}")
        for i, (x, y) in enumerate(zip(a, b)): out += diff(x, y, f"{path}[{i}]")
    elif a != b and str(a) != str(b): out.append(f"{path}: {a!r} != {b!r}")
    return out
bad = 0
for f in sys.argv[1:]:
    for doc in yaml.safe_load_all(open(f)):
        if doc is None: continue
        key = (doc["apiVersion"], doc["kind"])
        class R: data = json.dumps(doc)
        obj = api.deserialize(R, models[key])
        back = api.sanitize_for_serialization(obj)
        d = diff(strip(doc), strip(back))
        name = f'{doc["kind"]}/{doc["metadata"]["name"]}'
        print(("OK   " if not d else "FAIL ") + name + ("" if not d else ": " + "; ".join(d)))
        bad += bool(d)
sys.exit(1 if bad else 0)
