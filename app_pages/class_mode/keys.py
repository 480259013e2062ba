"""Session-state keys of the Class page (one place, so nothing collides with other pages)."""

STUDENT_ID = "class_student_id"  # a random id per browser session (classroom.new_student_id)
JOINED = "class_joined"  # the join code this student is in
NICKNAME = "class_nickname"
CODE_INPUT = "class_code_input"
OWNER = "class_owner"  # (code, token) of the class this session leads
HASH = "class_url_hash"  # the url_hash component
PICK = "class_pick"  # the lecturer's question menu
TAPS = "class_taps_{}"  # the positions a student has tapped for question n
CHART = "class_chart_{}"  # a student's tap chart for question n
SEEN = "class_seen_{}"  # the last tap already placed
TYPED = "class_typed_{}"
SLIDER = "class_slider_{}"
CHOICE = "class_choice_{}"
SENT = "class_sent_{}"  # the message after the last send (kind, text)
ENDED = "class_ended"  # the code of the class this session just ended (said on the landing)
