/// Store: libpq connections, parameterized queries, COPY, typed errors, migrations and the embedded server.
public enum StoreModule {}
