package runner_test

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReadmeQuickstartIsTheExample checks that the quickstart in the
// module's README.md is the body of this package's Example, and that the
// output the README shows is the Example's checked output, so the README
// cannot drift from code that compiles and runs.
func TestReadmeQuickstartIsTheExample(t *testing.T) {
	readme := readFile(t, "../README.md")
	example := readFile(t, "example_test.go")

	_, quickstart, ok := strings.Cut(readme, "\n## Quickstart\n")
	if !ok {
		t.Fatal("README.md has no \"## Quickstart\" section")
	}
	code := fencedBlock(t, quickstart, "```go\n")
	_, afterCode, _ := strings.Cut(quickstart, code)
	_, printed, ok := strings.Cut(afterCode, "It prints:\n")
	if !ok {
		t.Fatal("the README's quickstart does not say what it prints (\"It prints:\")")
	}
	readmeOutput := fencedBlock(t, printed, "```\n")

	readmeBody, ok := strings.CutPrefix(code, "func main() {\n")
	if !ok {
		t.Fatalf("the README's quickstart does not start with \"func main() {\":\n%s", code)
	}
	_, exampleFunc, ok := strings.Cut(example, "\nfunc Example() {\n")
	if !ok {
		t.Fatal("example_test.go has no func Example()")
	}
	exampleFunc, _, ok = strings.Cut(exampleFunc, "\n}\n")
	if !ok {
		t.Fatal("func Example() in example_test.go has no closing brace at the start of a line")
	}
	exampleBody, exampleOutput, ok := strings.Cut(exampleFunc+"\n", "\t// Output:\n")
	if !ok {
		t.Fatal("func Example() has no // Output: comment")
	}

	if diff := cmp.Diff(strings.Split(exampleBody+"}\n", "\n"), strings.Split(readmeBody, "\n")); diff != "" {
		t.Errorf("README.md's quickstart differs from the body of Example in runner/example_test.go (-example +README):\n%s", diff)
	}
	var want []string
	for _, line := range strings.Split(strings.TrimSuffix(exampleOutput, "\n"), "\n") {
		want = append(want, strings.TrimPrefix(line, "\t// "))
	}
	if diff := cmp.Diff(want, strings.Split(strings.TrimSuffix(readmeOutput, "\n"), "\n")); diff != "" {
		t.Errorf("the output README.md shows differs from Example's // Output: (-example +README):\n%s", diff)
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

// fencedBlock returns the text of the first fenced block of s that opens
// with open (for example "```go\n"), without its fences.
func fencedBlock(t *testing.T, s, open string) string {
	t.Helper()
	_, rest, ok := strings.Cut(s, open)
	if !ok {
		t.Fatalf("no block opening with %q in:\n%s", open, s)
	}
	block, _, ok := strings.Cut(rest, "\n```")
	if !ok {
		t.Fatalf("the block opening with %q is not closed", open)
	}
	return block + "\n"
}
