"""The PostgreSQL backend of the storage gate (psycopg 3, an optional extra: ``roleplay[postgres]``)."""
