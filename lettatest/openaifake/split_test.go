package openaifake

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
		got := splitWords(in)
		assert.Equal(t, want, got, "%q", in)
		assert.Equal(t, in, strings.Join(got, ""))
	}
}

func TestSplitBytes(t *testing.T) {
	for _, in := range []string{"", "short", strings.Repeat("ab", 40), strings.Repeat("é€😀", 20), "x" + strings.Repeat("😀", 9)} {
		got := splitBytes(in, argumentPiece)
		assert.Equal(t, in, strings.Join(got, ""))
		for _, p := range got {
			assert.LessOrEqual(t, len(p), argumentPiece)
			assert.True(t, utf8.ValidString(p), "piece %q cut inside a character", p)
		}
	}
	assert.Equal(t, []string{"\xff\xff", "\xff"}, splitBytes("\xff\xff\xff", 2), "not UTF-8: cut by bytes")
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
		assert.Equal(t, want, rememberedFact(in), "%q", in)
	}
}
