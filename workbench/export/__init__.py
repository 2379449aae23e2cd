"""Tables and files for reports: pandas frames and their writers."""
