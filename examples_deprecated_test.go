package letta_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The example programs (examples/) teach by being copied: they use no
// field or function the SDK marks Deprecated. (example_test.go may: the
// Example of Identities.ListBlocks needs the deprecated BlockIDs, the only
// way to attach a block to an identity.) A key in a composite literal of a letta type is
// checked against that type; a selector (x.Name), read without types, is
// flagged when Name is deprecated on every type that declares it.
func TestExamplesUseNoDeprecatedIdentifier(t *testing.T) {
	_, files := parsePackage(t)
	typed := map[string]bool{}      // "Type.Field" -> deprecated
	everywhere := map[string]bool{} // name -> deprecated wherever declared
	mark := func(name string, doc *ast.CommentGroup) bool {
		dep := doc != nil && strings.Contains(doc.Text(), "Deprecated:")
		if was, seen := everywhere[name]; seen {
			everywhere[name] = was && dep
		} else {
			everywhere[name] = dep
		}
		return dep
	}
	for _, f := range files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				mark(d.Name.Name, d.Doc)
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					ts, ok := spec.(*ast.TypeSpec)
					if !ok {
						continue
					}
					st, ok := ts.Type.(*ast.StructType)
					if !ok {
						continue
					}
					for _, field := range st.Fields.List {
						for _, id := range field.Names {
							typed[ts.Name.Name+"."+id.Name] = mark(id.Name, field.Doc)
						}
					}
				}
			}
		}
	}
	require.True(t, typed["IdentityCreateParams.AgentIDs"], "the check sees IdentityCreateParams.AgentIDs as deprecated")
	require.True(t, everywhere["LLMConfig"], "and AgentState.LLMConfig")

	var uses []string
	fset := token.NewFileSet()
	err := filepath.WalkDir("examples", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				if everywhere[n.Sel.Name] {
					uses = append(uses, fset.Position(n.Sel.Pos()).String()+": "+n.Sel.Name)
				}
			case *ast.CompositeLit:
				sel, ok := n.Type.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				for _, el := range n.Elts {
					kv, ok := el.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					if key, ok := kv.Key.(*ast.Ident); ok && typed[sel.Sel.Name+"."+key.Name] {
						uses = append(uses, fset.Position(key.Pos()).String()+": "+sel.Sel.Name+"."+key.Name)
					}
				}
			}
			return true
		})
		return nil
	})
	require.NoError(t, err)
	assert.Empty(t, uses, "deprecated identifiers used in examples")
}
