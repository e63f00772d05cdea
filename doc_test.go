package letta_test

import (
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parsePackage parses the package's non-test files with comments.
func parsePackage(t *testing.T) (*token.FileSet, []*ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	var files []*ast.File
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		require.NoError(t, err)
		files = append(files, f)
	}
	require.NotEmpty(t, files)
	return fset, files
}

// undocumented lists the exported identifiers of files without a doc
// comment: types, functions, methods of exported types, constants and
// variables (a comment on their group counts), and exported fields of
// exported structs and interfaces (a field directly below a commented one
// shares its comment, as in "// Method and URL identify the request.").
func undocumented(fset *token.FileSet, files []*ast.File) []string {
	var missing []string
	report := func(pos token.Pos, what string) {
		p := fset.Position(pos)
		missing = append(missing, p.Filename+": "+what)
	}
	for _, f := range files {
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if !d.Name.IsExported() {
					continue
				}
				name := d.Name.Name
				if d.Recv != nil {
					recv := receiverName(d.Recv.List[0].Type)
					if !ast.IsExported(recv) {
						continue
					}
					name = recv + "." + name
				}
				if d.Doc == nil {
					report(d.Pos(), "func "+name)
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						if !s.Name.IsExported() {
							continue
						}
						if s.Doc == nil && d.Doc == nil {
							report(s.Pos(), "type "+s.Name.Name)
						}
						checkFields(fset, s, report)
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() && s.Doc == nil && s.Comment == nil && d.Doc == nil {
								report(n.Pos(), d.Tok.String()+" "+n.Name)
							}
						}
					}
				}
			}
		}
	}
	sort.Strings(missing)
	return missing
}

func checkFields(fset *token.FileSet, s *ast.TypeSpec, report func(token.Pos, string)) {
	var list *ast.FieldList
	switch tt := s.Type.(type) {
	case *ast.StructType:
		list = tt.Fields
	case *ast.InterfaceType:
		list = tt.Methods
	default:
		return
	}
	prevLine, prevDocumented := -1, false
	for _, field := range list.List {
		line := fset.Position(field.Pos()).Line
		documented := field.Doc != nil || field.Comment != nil || (prevDocumented && line == prevLine+1)
		for _, n := range field.Names {
			if n.IsExported() && !documented {
				report(n.Pos(), "field "+s.Name.Name+"."+n.Name)
			}
		}
		prevLine, prevDocumented = fset.Position(field.End()).Line, documented
	}
}

func receiverName(expr ast.Expr) string {
	switch e := expr.(type) {
	case *ast.StarExpr:
		return receiverName(e.X)
	case *ast.IndexExpr: // generic receiver T[X]
		return receiverName(e.X)
	case *ast.IndexListExpr:
		return receiverName(e.X)
	case *ast.Ident:
		return e.Name
	}
	return ""
}

func TestEveryExportedIdentifierIsDocumented(t *testing.T) {
	fset, files := parsePackage(t)
	missing := undocumented(fset, files)
	assert.Empty(t, missing, "exported identifiers without a doc comment:\n%s", strings.Join(missing, "\n"))
}

// The checker itself must catch what it is meant to catch.
func TestUndocumentedFindsMissingDocs(t *testing.T) {
	const src = `package p

// Documented is fine.
type Documented struct {
	// A is fine.
	A int
	B int // B is fine.
	// C and D are fine.
	C int
	D int

	E int
	f int
}

type Bare int

func (Bare) Method() {}

// Fine is fine.
func Fine() {}

func Naked() {}

func unexported() {}

// Group comment covers both.
const (
	X = 1
	Y = 2
)

var Z = 3
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"p.go: field Documented.E",
		"p.go: func Bare.Method",
		"p.go: func Naked",
		"p.go: type Bare",
		"p.go: var Z",
	}, undocumented(fset, []*ast.File{f}))
}

var httpOperation = regexp.MustCompile(`\b(GET|POST|PUT|PATCH|DELETE) /v1/[a-z_{}/]*`)

// Each service method's doc says which HTTP operation it calls.
func TestServiceMethodDocsNameTheHTTPOperation(t *testing.T) {
	fset, files := parsePackage(t)
	pkg, err := doc.NewFromFiles(fset, files, "github.com/letta-go/letta")
	require.NoError(t, err)
	n := 0
	for _, typ := range pkg.Types {
		if !strings.HasSuffix(typ.Name, "Service") {
			continue
		}
		for _, m := range typ.Methods {
			n++
			assert.Regexp(t, httpOperation, m.Doc, "%s.%s names no HTTP operation", typ.Name, m.Name)
		}
	}
	assert.GreaterOrEqual(t, n, 20, "service methods found")
}

// pkg.go.dev shows an Example for every service method and for the
// constructors; go doc's data model (doc.NewFromFiles with the test files)
// attaches them the same way.
func TestEveryServiceMethodHasAnExample(t *testing.T) {
	fset, files := parsePackage(t)
	exampleFiles, err := filepath.Glob("example*_test.go")
	require.NoError(t, err)
	for _, name := range exampleFiles {
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		require.NoError(t, err)
		files = append(files, f)
	}
	pkg, err := doc.NewFromFiles(fset, files, "github.com/letta-go/letta")
	require.NoError(t, err)

	hasOutput := func(exs []*doc.Example) bool {
		for _, ex := range exs {
			if ex.Output != "" || ex.EmptyOutput {
				return true
			}
		}
		return false
	}
	var missing []string
	for _, typ := range pkg.Types {
		for _, fn := range typ.Funcs {
			if (fn.Name == "NewClient" || fn.Name == "NewClientFromEnv") && !hasOutput(fn.Examples) {
				missing = append(missing, fn.Name)
			}
		}
		if !strings.HasSuffix(typ.Name, "Service") {
			continue
		}
		for _, m := range typ.Methods {
			if !hasOutput(m.Examples) {
				missing = append(missing, typ.Name+"."+m.Name)
			}
		}
	}
	assert.Empty(t, missing, "no Example with // Output: for")
	assert.NotEmpty(t, pkg.Examples, "package example (quick start)")
}
