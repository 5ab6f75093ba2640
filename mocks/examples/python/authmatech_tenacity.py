"""An Authmatech client in Python that retries as the doc asks, with tenacity: 429 and 5xx are retried
after 1 s, 2 s, 4 s ... (capped at 60 s) with +-100 ms of jitter, at most 5 attempts; a retry-after, when
an answer carries one, is waited instead.

Against the mock:  npx ratelimit-contract mock --profile authmatech --control --port 3001
Run the client:    API_BASE_URL=http://127.0.0.1:3001 python3 authmatech_tenacity.py
Judge its retries: npx ratelimit-contract check-log --profile authmatech http://127.0.0.1:3001
"""
import os
import random

import requests
from tenacity import retry, retry_if_result, stop_after_attempt, wait_exponential, wait_random

BASE_URL = os.environ.get("API_BASE_URL", "http://127.0.0.1:3001")
# A client from mocks/authmatech.credentials.json; the budget is keyed by X-CLIENT-ID.
HEADERS = {"X-CLIENT-ID": "client_alpha", "X-API-KEY": "am_test_alpha_key"}

# "Wait ~1 s after the first 429. Double the wait each attempt ... Add +-100 ms jitter."
backoff = wait_exponential(multiplier=1, min=1, max=60) + wait_random(-0.1, 0.1)


def retryable(response):
    return response.status_code == 429 or response.status_code >= 500


def wait_before_retry(retry_state):
    retry_after = retry_state.outcome.result().headers.get("retry-after", "")
    if retry_after.isdigit():
        return int(retry_after) + random.uniform(0, 0.1)
    return backoff(retry_state)


@retry(
    retry=retry_if_result(retryable),
    wait=wait_before_retry,
    stop=stop_after_attempt(5),
    retry_error_callback=lambda retry_state: retry_state.outcome.result(),  # hand the last answer back
)
def get_session(session_id):
    return requests.get(f"{BASE_URL}/v1/api/identity/sessions/{session_id}", headers=HEADERS, timeout=30)


print(get_session("ses_1").status_code)
