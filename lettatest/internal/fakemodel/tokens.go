package fakemodel

// Tokens is the model's token count of n bytes: one token per four bytes,
// rounded up.
func Tokens(n int) int {
	return (n + 3) / 4
}

// CompletionTokens is the completion an answer reports: the tokens of its
// reasoning, its content, and its tool call's name and arguments (both ""
// without a call).
func CompletionTokens(reasoning, content, callName, callArgs string) int {
	return Tokens(len(reasoning)) + Tokens(len(content)) + Tokens(len(callName)) + Tokens(len(callArgs))
}
