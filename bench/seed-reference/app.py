"""The seed design, kept as the benchmark baseline: a FastAPI app that validates the seed's
ComponentAlert and schedules the processing as a background task, answering 202 before anything is
stored (not durable: a crash after the answer loses the alert). Run with Debian's python3-fastapi
and python3-uvicorn: /usr/bin/python3 -m uvicorn app:app --workers 2 --port PORT
"""
import uuid
from typing import Optional

from fastapi import BackgroundTasks, FastAPI
from pydantic import BaseModel

app = FastAPI(title="seed reference")


class ComponentAlert(BaseModel):
    source_platform: str
    manufacturer_code: str
    part_number: str
    lifecycle_status: str
    raw_context: Optional[str] = None


def process_alert(trace_id: str, alert: ComponentAlert) -> None:
    # The seed handed the alert to an agent framework here; the baseline only measures the ingest.
    _ = (trace_id, alert.part_number)


@app.post("/v1/ingest/component-alert", status_code=202)
async def ingest(alert: ComponentAlert, background: BackgroundTasks):
    trace_id = str(uuid.uuid4())
    background.add_task(process_alert, trace_id, alert)
    return {"ack": True, "trace_id": trace_id}
