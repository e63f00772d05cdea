package fakemodel

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestSplitWords(t *testing.T) {
	cases := map[string][]string{
		"":                  nil,
		"one":               {"one"},
		"You said: hi":      {"You ", "said: ", "hi"},
		"  lead and trail ": {"  ", "lead ", "and ", "trail "},
		"a\nb\tc":           {"a\n", "b\t", "c"},
	}
	for in, want := range cases {
		got := SplitWords(in)
		assert.Equal(t, want, got, "%q", in)
		assert.Equal(t, in, strings.Join(got, ""))
	}
}

func TestSplitBytes(t *testing.T) {
	for _, in := range []string{"", "short", strings.Repeat("ab", 40), strings.Repeat("é€😀", 20), "x" + strings.Repeat("😀", 9)} {
		got := SplitBytes(in, ArgumentPiece)
		assert.Equal(t, in, strings.Join(got, ""))
		for _, p := range got {
			assert.LessOrEqual(t, len(p), ArgumentPiece)
			assert.True(t, utf8.ValidString(p), "piece %q cut inside a character", p)
		}
	}
	assert.Equal(t, []string{"\xff\xff", "\xff"}, SplitBytes("\xff\xff\xff", 2), "not UTF-8: cut by bytes")
}

func TestRememberedFact(t *testing.T) {
	cases := map[string]string{
		"remember that I like tea.":           "I like tea",
		"Please REMEMBER: my name is Ada!":    "my name is Ada",
		"Remember, the code is 1234":          "the code is 1234",
		"can you remember my dog's name?":     "my dog's name",
		"remember":                            "",
		"I remembered it":                     "",
		"hello":                               "",
		"remember that\nmulti\nline facts...": "multi\nline facts",
	}
	for in, want := range cases {
		assert.Equal(t, want, RememberedFact(in), "%q", in)
	}
}

func TestAnswer(t *testing.T) {
	cases := []struct {
		text              string
		called, failed    bool
		reasoning, answer string
	}{
		{"hi <there>", false, false, `The user wrote "hi \u003cthere\u003e"; I answer by repeating it.`, "You said: hi <there>"},
		{"remember that I like tea.", true, false, "The memory edit is done; I tell the user.", "I will remember that I like tea."},
		{"remember that I like tea.", true, true, "The memory edit failed; I tell the user.", "I could not save that to memory."},
		{"hello", true, false, "The memory edit is done; I tell the user.", "You said: hello"},
	}
	for _, c := range cases {
		reasoning, answer := Answer(c.text, c.called, c.failed)
		assert.Equal(t, c.reasoning, reasoning, "%+v", c)
		assert.Equal(t, c.answer, answer, "%+v", c)
	}
}

func TestMemoryArgs(t *testing.T) {
	for _, name := range MemoryTools {
		assert.NotNil(t, MemoryArgs(name, "x"), name)
	}
	assert.Nil(t, MemoryArgs("send_message", "x"))
	assert.Equal(t, `{"insert_line":-1,"label":"human","new_string":"a \"b\""}`, JSONText(MemoryArgs(MemoryInsert, `a "b"`)))
}

func TestTokens(t *testing.T) {
	assert.Equal(t, []int{0, 1, 1, 2}, []int{Tokens(0), Tokens(1), Tokens(4), Tokens(5)})
	assert.Equal(t, 1+1+1+2, CompletionTokens("abc", "d", "efgh", "ijklm"))
}
