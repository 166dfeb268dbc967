/// Tracking: event types, validation, session monitor, batch ingest, privacy and the simulator.
public enum TrackingModule {}
