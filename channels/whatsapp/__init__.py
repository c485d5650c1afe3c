"""WhatsApp Cloud API: webhook payloads to chat input, replies through the Graph API."""
