package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAccessorsUpToDate fails when accessors.go is not what the generator
// writes for the current types: run go generate in the module root.
func TestAccessorsUpToDate(t *testing.T) {
	root := filepath.Join("..", "..")
	want, err := generate(root)
	require.NoError(t, err)
	got, err := os.ReadFile(filepath.Join(root, outName))
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "accessors.go is stale: run go generate in the module root")
}

// The generator covers a new pointer field and skips what it must.
func TestGenerateCoversPointerFields(t *testing.T) {
	dir := t.TempDir()
	src := `package letta

type Timestamp struct{}

type Thing struct {
	Name  *string
	Count *int
	When  *Timestamp
	Child *Thing
	// Old is old.
	//
	// Deprecated: gone.
	Old   *string
	Plain string
	inner *string
}

func (t *Thing) GetCount() int { return 0 }

type ThingParams struct{ Name *string }
`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "thing.go"), []byte(src), 0o644))
	out, err := generate(dir)
	require.NoError(t, err)
	s := string(out)
	assert.Contains(t, s, "func (t *Thing) GetName() string {")
	assert.Contains(t, s, "func (t *Thing) GetWhen() Timestamp {")
	assert.Contains(t, s, "func (t *Thing) GetChild() *Thing {")
	for _, absent := range []string{"GetCount", "GetOld", "GetPlain", "GetInner", "ThingParams"} {
		assert.NotContains(t, s, absent)
	}
}
