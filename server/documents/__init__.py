"""The review round's papers as PDF: meeting minutes, posting lists, the recognition decision
(Form 02) and certificates (Form 03), with a Vietnamese font embedded."""
