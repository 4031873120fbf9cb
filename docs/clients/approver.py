#!/usr/bin/env python3
"""Answers DuckWorker's approval requests: reads approval.requested, publishes one decision per approval.

With --decision ask it shows each request and asks on the terminal: a, f, d (allow once, allow forever, deny),
each optionally followed by a comment the models read ("d not on main"), or e followed by the edited call (a
command line for shell_exec_safe, a JSON object of changed args for another tool), which the worker's policy
judges first: a refused edit leaves the approval waiting (duck approvals list shows it).
Needs pika (pip install pika, or apt-get install python3-pika).
"""
import argparse
import getpass
import json
import sys
import uuid

import pika

KEYS = {"a": "allow_once", "f": "allow_forever", "d": "deny"}
PROMPT = "  [a]llow once, allow [f]orever, [d]eny, [e]dit (a comment may follow: d not on main)? "


def parse_object(text):
    """The JSON object typed, or None when it is not one."""
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--broker", default="amqp://guest:guest@localhost:5672/")
    parser.add_argument("--requests-queue", default="duck.approvals.requested")
    parser.add_argument("--decisions-queue", default="duck.approvals.decisions")
    parser.add_argument("--decision", default="ask", choices=["ask", "allow_once", "allow_forever", "deny"])
    parser.add_argument("--decided-by", default=getpass.getuser())
    parser.add_argument("--comment", help="sent with each decision that is not asked: the models read it")
    parser.add_argument("--count", type=int, default=0, help="stop after this many decisions (0: never)")
    args = parser.parse_args()

    connection = pika.BlockingConnection(pika.URLParameters(args.broker))
    requests = connection.channel()
    requests.basic_qos(prefetch_count=1)  # one request at a time: the next waits until this one is decided
    decisions = connection.channel()
    decisions.confirm_delivery()
    decided = set()  # the worker may announce a request again (after a restart): decide each approval once

    def decide(request):
        """The decision, its comment (or None) and the edited args (or None)."""
        if args.decision != "ask":
            return args.decision, args.comment, None
        print(f"\n{request['tool']} {json.dumps(request['action']['args'])} ({request['riskLevel']} risk)")
        print(f"  why:     {request['reason']}")
        print(f"  forever: {request['foreverScope']}")
        while True:
            key, _, rest = input(PROMPT).strip().partition(" ")
            key, rest = key.lower(), rest.strip() or None
            if key in KEYS:
                return KEYS[key], rest, None
            if key == "e" and rest:
                changes = {"command": rest} if request["tool"] == "shell_exec_safe" else parse_object(rest)
                if changes is not None:
                    return "allow_once", None, {**request["action"]["args"], **changes}
                print(f"  an edit of {request['tool']} is a JSON object of changed args, e.g. {{\"content\": \"...\"}}")

    def on_request(channel, method, properties, body):
        try:
            request = json.loads(body)
            approval_id = request["approvalId"]
        except (ValueError, KeyError) as error:
            print(f"not an approval request ({error}); dropped", file=sys.stderr, flush=True)
            channel.basic_ack(method.delivery_tag)
            return
        if approval_id in decided:
            channel.basic_ack(method.delivery_tag)
            return
        decision, comment, edited_args = decide(request)
        message = {
            "approvalId": approval_id,
            "decision": decision,
            "decidedBy": args.decided_by,
            "taskId": request["taskId"],  # the worker rejects the decision if the approval is another task's
        }
        if comment:
            message["comment"] = comment
        if edited_args is not None:
            message["editedArgs"] = edited_args
        decisions.basic_publish(
            exchange="",
            routing_key=args.decisions_queue,
            body=json.dumps(message).encode("utf-8"),
            properties=pika.BasicProperties(
                content_type="application/json",
                delivery_mode=2,
                type="duck.approval-decision.v1",
                message_id=uuid.uuid4().hex,
                correlation_id=properties.correlation_id,  # the job id
            ),
            mandatory=True,
        )
        # Acknowledged only once the broker confirmed the decision: a crash before this redelivers the request.
        channel.basic_ack(method.delivery_tag)
        decided.add(approval_id)
        print(f"{decision} {approval_id} (task {request['taskId']}, job {request['jobId']})", flush=True)
        if args.count and len(decided) >= args.count:
            channel.stop_consuming()

    requests.basic_consume(args.requests_queue, on_request)
    try:
        requests.start_consuming()
    except KeyboardInterrupt:
        pass
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
