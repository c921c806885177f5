package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// root is the repository root, from this package's directory.
const root = "../.."

var (
	fence    = regexp.MustCompile("(?ms)^\\s*```.*?^\\s*```")
	codeSpan = regexp.MustCompile("`[^`\n]*`")
	mdLink   = regexp.MustCompile(`!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	heading  = regexp.MustCompile(`(?m)^#{1,6}\s+(.+?)\s*#*\s*$`)
	scheme   = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
)

// documents returns README.md and docs/*.md, relative to root.
func documents(t *testing.T) []string {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	return append([]string{filepath.Join(root, "README.md")}, docs...)
}

// links returns the targets of the Markdown links and images of text,
// outside code blocks and code spans.
func links(text string) []string {
	text = fence.ReplaceAllString(text, "")
	text = codeSpan.ReplaceAllString(text, "")
	var out []string
	for _, m := range mdLink.FindAllStringSubmatch(text, -1) {
		out = append(out, m[1])
	}
	return out
}

// anchors returns the anchors GitHub gives the headings of a Markdown text.
func anchors(text string) []string {
	text = fence.ReplaceAllString(text, "")
	var out []string
	for _, m := range heading.FindAllStringSubmatch(text, -1) {
		out = append(out, slug(m[1]))
	}
	return out
}

// slug is GitHub's anchor for a heading: lower case, punctuation other
// than '-' and '_' removed, spaces turned into '-'.
func slug(h string) string {
	h = strings.ReplaceAll(h, "`", "")
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r > 127:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestRelativeLinksResolve(t *testing.T) {
	checked := 0
	for _, doc := range documents(t) {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		name, _ := filepath.Rel(root, doc)
		for _, target := range links(string(data)) {
			if scheme.MatchString(target) {
				continue // a web address: not a file of the repository
			}
			checked++
			path, anchor, _ := strings.Cut(target, "#")
			file := doc
			if path != "" {
				file = filepath.Join(filepath.Dir(doc), filepath.FromSlash(path))
				rel, err := filepath.Rel(root, file)
				if err != nil || strings.HasPrefix(rel, "..") {
					t.Errorf("%s: link %q leaves the repository", name, target)
					continue
				}
				if _, err := os.Stat(file); err != nil {
					t.Errorf("%s: link %q: %s does not exist", name, target, rel)
					continue
				}
			}
			if anchor == "" || !strings.HasSuffix(file, ".md") {
				continue
			}
			text, err := os.ReadFile(file)
			if err != nil {
				t.Errorf("%s: link %q: %v", name, target, err)
				continue
			}
			if !slices.Contains(anchors(string(text)), anchor) {
				t.Errorf("%s: link %q: no heading with the anchor #%s (have %v)", name, target, anchor, anchors(string(text)))
			}
		}
	}
	if checked < 5 { // README.md alone links more than this
		t.Errorf("checked %d relative links in README.md and docs/*.md; the documents have more, so the link parser is broken", checked)
	}
}

func TestLinkParsing(t *testing.T) {
	text := "See [a](docs/A.md), ![img](x.png \"title\") and [web](https://example.com).\n" +
		"Not `[code](nope.md)`, nor\n```\n[fenced](nope.md)\n```\n"
	got := links(text)
	want := []string{"docs/A.md", "x.png", "https://example.com"}
	if !slices.Equal(got, want) {
		t.Errorf("links = %q, want %q", got, want)
	}
	if got, want := slug("6. Close codes"), "6-close-codes"; got != want {
		t.Errorf("slug = %q, want %q", got, want)
	}
	if got, want := slug("Install, versions, license"), "install-versions-license"; got != want {
		t.Errorf("slug = %q, want %q", got, want)
	}
}
