"""Articles: controller, service and model."""
