"""sts: validate and render Kubernetes StatefulSets and their headless Services."""

__version__ = "0.1.0"
