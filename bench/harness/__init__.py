"""What the server benches share: a throwaway PostgreSQL database, gunicorn and
db_worker processes started the way `make serve` starts them, a local callback
receiver, and keep-alive HTTP clients. Not a bench itself (`make bench` runs
bench/*.py only)."""
