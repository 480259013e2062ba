"""The "parameters from a file" start: a JSON file of mixture parameters (as the Export
section writes it) uploaded in the sidebar and used as EM's starting point.

The file is read and checked when it is uploaded (``gmm_core.parameters_from_json``); a bad
file gives an error in plain words and changes nothing. A good one becomes the start, and the
sidebar's K and covariance type are set to the file's (said under the uploader), since a
start fixes both. The file in use is session state (``ui.session.loaded``, ``file_start``).
"""

from __future__ import annotations

import hashlib

import streamlit as st

from gmm_core import parameters_from_json

from . import session
from .session import LoadedStart, loaded

UPLOAD = "start_file_upload"  # the uploader's widget key
ERROR = "start_file_error"  # the last upload's problem, shown until the next upload
NOTE = "start_file_note"  # what loading the file changed in the sidebar


def _on_upload():
    """Read and check the uploaded file (a callback: before the sidebar's K and covariance
    type are drawn, so they can be set to the file's)."""
    ss = st.session_state
    upload = ss.get(UPLOAD)
    if upload is None:  # the file was removed from the uploader: the start stays
        return
    raw = upload.getvalue()
    data = session.current_data()
    n_features = None if data is None else data.X.shape[1]
    try:
        params = parameters_from_json(raw, n_features)
    except ValueError as exc:
        ss[ERROR] = f"{upload.name} cannot be used: {exc} The current run is kept."
        return
    ss[ERROR] = None
    ss[session.START_FILE] = LoadedStart(hashlib.sha1(raw).hexdigest(), upload.name, params)
    changed = []
    if session.kept_value(session.K) != params.n_components:
        session.set_kept(session.K, params.n_components)
        changed.append(f"K to {params.n_components}")
    if session.kept_value(session.COVARIANCE_TYPE) != params.covariance_type:
        session.set_kept(session.COVARIANCE_TYPE, params.covariance_type)
        changed.append(f"covariance type to {params.covariance_type!r}")
    ss[NOTE] = ("Set " + " and ".join(changed) + " to match the file.") if changed else None


def start_file_ui():
    """The uploader under "Initialisation" (drawn when the file start is chosen)."""
    ss = st.session_state
    st.file_uploader("Parameters file (.json)", type=["json"], key=UPLOAD,
                     on_change=_on_upload,
                     help="A file from the Step by step page's Export section (“Parameters "
                          "(JSON)”), or one written by hand in that format: weights, means, "
                          "covariances, covariance_type.")
    if ss.get(ERROR):
        st.error(ss[ERROR])
    start = loaded()
    if start is None:
        if not ss.get(ERROR):
            st.info("Upload a parameters file; the previous run stays until then.")
        return
    p = start.params
    st.caption(f"Start: **{start.name}** (K = {p.n_components}, {p.covariance_type}, "
               f"{p.n_features} feature(s)). The seed is not used.")
    if ss.get(NOTE):
        st.caption(ss[NOTE])
