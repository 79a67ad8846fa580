"""The review round (Decision 24/2021/QĐ-TTg): rounds, cases and their states, officer
review, hamlet meetings, posting, complaints, recognition and certificates."""
