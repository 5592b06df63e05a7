# The one image of every service in docker-compose.yml (the API, init, the workers): built once (`init`
# has the build, the others name its image).
FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# Official documents' PDFs embed a TrueType CJK font (adapters/documents.py): from Debian, never downloaded at run time.
# `hazard-ledger backup|restore` call pg_dump/pg_restore of the server's major version or newer (compose runs
# PostgreSQL 16; a Debian release may ship an older client, which refuses a newer server): client 16 from the
# PostgreSQL project's Debian repository, at build time only.
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    && install -d /usr/share/postgresql-common/pgdg \
    && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc https://www.postgresql.org/media/keys/ACCC4CF8.asc \
    && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt $(. /etc/os-release && echo "$VERSION_CODENAME")-pgdg main" \
       > /etc/apt/sources.list.d/pgdg.list \
    && apt-get update && apt-get install -y --no-install-recommends fonts-wqy-zenhei postgresql-client-16 \
    && apt-get purge -y curl && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
# Not root: a hole in the API or a worker reaches only this user's files (no secret is writable).
RUN groupadd --system --gid 10001 hazard && useradd --system --uid 10001 --gid hazard --home-dir /app --no-create-home hazard
COPY pyproject.toml README.md ./
COPY domain ./domain
COPY projections ./projections
COPY audit ./audit
COPY adapters ./adapters
COPY app ./app
COPY demo ./demo
COPY web ./web
COPY api ./api
COPY cli ./cli
RUN pip install --no-cache-dir . \
    # var/: the workers' heartbeats; var/checkpoints: the checkpoint volume (a new named volume takes this owner)
    && mkdir -p var/heartbeat var/checkpoints && chown -R hazard:hazard var
USER hazard
EXPOSE 8000
CMD ["uvicorn", "--factory", "api.app:app_from_env", "--host", "0.0.0.0", "--port", "8000"]
