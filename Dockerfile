# Image for the API and the projection worker (docker-compose.yml).
FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# Official documents' PDFs embed a TrueType CJK font (adapters/documents.py): from Debian, never downloaded at run time.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-zenhei && rm -rf /var/lib/apt/lists/*
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
RUN pip install --no-cache-dir .
EXPOSE 8000
CMD ["uvicorn", "--factory", "api.app:app_from_env", "--host", "0.0.0.0", "--port", "8000"]
