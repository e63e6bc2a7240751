"""Pages of the recovery workflow: the request and status pages (requests), the upload link's case
page (case), the owner's way back after approval (restore), and the account holder's panel and
actions on Account Security (owner)."""
