// Package docs holds no code: its test checks that the repository's
// Markdown documentation (README.md and docs/*.md) links only to files
// that exist in the repository, with anchors that exist in them.
package docs
