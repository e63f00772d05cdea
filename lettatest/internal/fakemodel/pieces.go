package fakemodel

import "unicode"

// ArgumentPiece is the size in bytes of the pieces a streamed tool call's
// arguments are cut into.
const ArgumentPiece = 16

// SplitWords cuts s into words, each with the white space that follows it,
// so that the pieces concatenate back to s: how reasoning and content are
// streamed ("You ", "said: ", ...).
func SplitWords(s string) []string {
	var out []string
	start := 0
	inSpace := false
	for i, r := range s {
		space := unicode.IsSpace(r)
		if !space && inSpace {
			out = append(out, s[start:i])
			start = i
		}
		inSpace = space
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// SplitBytes cuts s into pieces of at most n bytes, never inside a UTF-8
// sequence.
func SplitBytes(s string, n int) []string {
	var out []string
	for len(s) > n {
		cut := n
		for cut > 0 && !isRuneStart(s[cut]) {
			cut--
		}
		if cut == 0 { // not UTF-8: cut anywhere
			cut = n
		}
		out = append(out, s[:cut])
		s = s[cut:]
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
