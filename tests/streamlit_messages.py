"""Streamlit's websocket messages in words (their kind, never a widget's value), for tests and the
benchmark harness that watch what a browser and the server said to each other."""

from __future__ import annotations


def sent_message(payload) -> str:
    """A browser-to-server message: its kind; for a rerun, the widgets it carries by kind and
    key (the part of a widget's id its key makes), so a click's trigger can be seen."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    try:
        message = BackMsg.FromString(payload if isinstance(payload, bytes) else payload.encode())
    except Exception:
        return "?"
    kind = message.WhichOneof("type")
    if kind != "rerun_script":
        return kind or "?"
    carried = []
    for state in message.rerun_script.widget_states.widgets:
        value = state.WhichOneof("value")
        if value == "trigger_value" and state.trigger_value:
            carried.append(f"click:{state.id.rsplit('-', 1)[-1]}")
        elif value == "json_value":
            carried.append(f"component:{state.id.rsplit('-', 1)[-1]}")
    return "rerun[" + ",".join(carried) + "]"


def received_message(payload) -> str:
    """A server-to-browser message: its kind; how a run ended; the session's running state."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    try:
        message = ForwardMsg.FromString(payload if isinstance(payload, bytes) else payload.encode())
    except Exception:
        return "?"
    kind = message.WhichOneof("type")
    if kind == "script_finished":
        return "finished:" + ForwardMsg.ScriptFinishedStatus.Name(message.script_finished).lower()
    if kind == "session_status_changed":
        return "running" if message.session_status_changed.script_is_running else "idle"
    return kind or "?"
