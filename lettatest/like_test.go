package lettatest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLikeMatcher(t *testing.T) {
	tests := []struct {
		s, sub string
		want   bool
	}{
		{"Caren Jones", "ren", true},
		{"Caren Jones", "REN J", true},
		{"Caren Jones", "bob", false},
		// The server does not escape LIKE's wildcards: "_" is any one
		// character, "%" any run.
		{"alphaXone", "alpha_one", true},
		{"alpha_one", "alpha_one", true},
		{"alphaone", "alpha_one", false},
		{"user 100% done", "100%", true},
		{"a-b", "a%b", true},
		{"a.b", "a.b", true},
		{"axb", "a.b", false},
		{"line\nbreak", "e_b", true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, likeMatcher(tt.sub)(tt.s), "%q in %q", tt.sub, tt.s)
	}
}
