"""What every feature of the window stands on, with no widgets of its own.

The open document (graph + undo) and its autosave, which custom code may run, the
TensorFlow loader, the shape service, and the one worker API every background task uses.
"""
