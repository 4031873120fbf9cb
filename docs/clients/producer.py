#!/usr/bin/env python3
"""Submits one chat job to DuckWorker, shows its progress and prints its outcome.

Exit code: 0 completed, 1 failed, 2 no outcome within --timeout.
Needs pika (pip install pika, or apt-get install python3-pika).
"""
import argparse
import json
import sys
import time
import uuid

import pika


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("message")
    parser.add_argument("--broker", default="amqp://guest:guest@localhost:5672/")
    parser.add_argument("--jobs-queue", default="duck.jobs")
    parser.add_argument("--events-exchange", default="duck.events")
    parser.add_argument("--workspace", help="a folder under the worker's Tools:WorkspaceRoot")
    parser.add_argument("--job-id", default=None, help="unique per job; submitting the same id again runs nothing twice")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for the outcome")
    args = parser.parse_args()
    job_id = args.job_id or uuid.uuid4().hex

    connection = pika.BlockingConnection(pika.URLParameters(args.broker))
    channel = connection.channel()
    channel.confirm_delivery()

    # Two private queues, both declared and consumed before the job is published, so nothing is missed:
    # one for the outcome (the job's reply_to), one for what the worker announces on the events exchange.
    replies = channel.queue_declare(queue="", exclusive=True).method.queue
    events = channel.queue_declare(queue="", exclusive=True).method.queue
    channel.queue_bind(events, args.events_exchange, routing_key="task.event.#")
    channel.queue_bind(events, args.events_exchange, routing_key="approval.requested")

    outcome = {}

    def on_event(_channel, _method, properties, body):
        if properties.correlation_id != job_id:  # the exchange carries every job's announcements
            return
        message = json.loads(body)
        if properties.type == "duck.task-event.v1":
            print(f"event {message['eventType']} (#{message['seq']})", flush=True)
        elif properties.type == "duck.approval-requested.v1":
            print(f"waiting for approval {message['approvalId']}: {message['tool']} "
                  f"{json.dumps(message['action']['args'])} ({message['riskLevel']} risk) - {message['reason']}", flush=True)

    def on_reply(_channel, _method, properties, body):
        if properties.type == "duck.task-finished.v1":
            outcome.update(json.loads(body))

    channel.basic_consume(events, on_event, auto_ack=True)
    channel.basic_consume(replies, on_reply, auto_ack=True)

    job = {"jobId": job_id, "message": args.message, "workspace": args.workspace}
    channel.basic_publish(
        exchange="",
        routing_key=args.jobs_queue,
        body=json.dumps(job).encode("utf-8"),
        properties=pika.BasicProperties(
            content_type="application/json",
            delivery_mode=2,  # persistent
            type="duck.chat.v1",
            message_id=uuid.uuid4().hex,
            correlation_id=job_id,
            reply_to=replies,
        ),
        mandatory=True,  # raises pika.exceptions.UnroutableError when the jobs queue does not exist
    )
    print(f"submitted job {job_id}", flush=True)

    deadline = time.monotonic() + args.timeout
    while not outcome and time.monotonic() < deadline:
        connection.process_data_events(time_limit=1)
    connection.close()

    if not outcome:
        print(f"no outcome for job {job_id} within {args.timeout} s", file=sys.stderr)
        return 2
    print(f"{outcome['status']}: {outcome['finalResponse']}", flush=True)
    return 0 if outcome["status"] == "completed" else 1


if __name__ == "__main__":
    sys.exit(main())
