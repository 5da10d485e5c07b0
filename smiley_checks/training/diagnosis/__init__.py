"""The network's doctor: why a training run went wrong, in one sentence and one picture.

recorder.py  a Keras callback that measures a run while the judge trains it (cheap: a few
             probe drawings, one pass through every layer and one gradient pass per epoch)
signals.py   what it measured, as plain numbers (JSON-able, no TensorFlow needed to read)
rules.py     the diagnoses: each a rule on the signals with a threshold calibrated on this
             lesson's network and its breaks (tools/calibrate_diagnoses.py, docs/diagnosis.md)
breaks.py    the labelled set of breaks the thresholds are calibrated on
pictures.py  one picture per diagnosis, from the run's own drawings and maps

A diagnosis explains; it never grades. The verdict (reliability.py) grades.
"""
