"""The playground lab's simulator: 2-D data, features, a network the learner builds, training
in mini-batches, heatmaps of every neuron, and one point followed through every number.

Plain Python throughout (the browser's Python has no NumPy); see columns.py for how it stays
fast. The app talks to nnsim.playground.session.PlaygroundSession; its settings' schema is in
nnsim.settings, with the other labs' (which imports this package's data sets, so this file
imports nothing).
"""
