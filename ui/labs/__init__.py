"""The Labs tab: one lesson page and one interactive lab per topic of the course notes.

Each lab page lives in ``ui/labs/page_<lesson id>.py`` and provides
``create(context: LabContext) -> QWidget``. TensorFlow work runs through
:class:`ui.labs.common.LabRunner`, never on the GUI thread.
"""
