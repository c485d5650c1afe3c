"""Channel adapters: each turns what arrives into an InboundMessage and delivers replies."""
