# The dashboard as a container image: one app replica, offline at run time (the vendor
# files and the static copy are built into the image). compose.yaml runs two of them
# behind docs/nginx.conf. Build and run one:
#   docker build -t tjv-clusters .
#   docker run --rm -p 8501:8501 tjv-clusters
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# dependencies first: this layer is rebuilt only when pyproject.toml changes
COPY pyproject.toml README.md ./
COPY tjv_clusters ./tjv_clusters
RUN pip install '.[app]'

COPY . .
# Leaflet and markercluster from the xstatic packages, and the static copy the app serves
# for static embeds and the kiosk; then a user that may write only the map scripts
RUN python -m tjv_clusters.assets && python -m tjv_clusters.export static/export \
    && useradd --create-home --uid 10001 app && mkdir -p static/maps \
    && chown app static/maps
USER app

EXPOSE 8501
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=2)"]
CMD ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
