"""Word lists shared by the linking and claim stages."""

REPORT_VERBS = {
    "say", "state", "note", "stress", "add", "voice", "claim", "announce", "write", "declare", "emphasize",
    "emphasise", "reiterate", "express", "tell", "thank", "condemn", "support", "urge", "warn", "insist",
    "confirm", "deny", "explain", "assure", "recall", "welcome", "argue", "publish", "post", "issue",
    "release", "understand", "mention", "accuse", "call", "agree", "propose", "suggest", "describe",
    "tweet", "report", "inform", "comment", "underline", "highlight", "affirm", "reaffirm", "criticize",
    "criticise", "praise", "promise", "pledge", "vow", "demand", "appeal", "acknowledge", "admit", "reject",
    "dismiss", "respond", "reply", "answer", "quote", "point", "assert", "maintain", "signal",
    "echo", "repeat", "endorse", "summarize", "summarise", "clarify", "specify", "remark", "observe",
}
ROLE_HEADS = {"spokesman", "spokeswoman", "spokesperson", "minister", "president", "ambassador", "official", "aide",
              "adviser", "advisor", "secretary", "chairman", "chairwoman", "head", "leader", "envoy",
              "representative", "premier", "deputy", "speaker", "chief"}
