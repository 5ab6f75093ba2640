"""A ReconLayer client in Python that retries as the doc asks: requests with urllib3's Retry, which waits
what retry-after says before it tries again.

Against the mock:  npx ratelimit-contract mock --profile reconlayer --control --port 3001
Run the client:    API_BASE_URL=http://127.0.0.1:3001 python3 reconlayer_requests.py
Judge its retries: npx ratelimit-contract check-log --profile reconlayer http://127.0.0.1:3001
"""
import os

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

BASE_URL = os.environ.get("API_BASE_URL", "http://127.0.0.1:3001")
# An org_acme key from mocks/reconlayer.credentials.json.
HEADERS = {"Authorization": "Bearer rl_test_acme_primary"}

retry = Retry(
    total=4,  # at most 5 tries in all
    status_forcelist=[429, 500, 502, 503, 504],
    allowed_methods=["GET", "HEAD", "PUT", "DELETE", "OPTIONS"],  # idempotent methods only
    respect_retry_after_header=True,  # sleep what retry-after says (urllib3's default, kept explicit)
    backoff_factor=1,  # a 5xx without retry-after: 0 s, then 2 s, 4 s ...
    raise_on_status=False,  # when retries run out, hand the last answer back
)
session = requests.Session()
session.mount("http://", HTTPAdapter(max_retries=retry))
session.mount("https://", HTTPAdapter(max_retries=retry))

response = session.get(f"{BASE_URL}/v1/payment-intents", headers=HEADERS, timeout=30)
print(response.status_code)
