"""The workflow service: the order state machine, its starter and the task-token relay."""
