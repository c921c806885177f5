// Package artifact stores artifacts: versioned files that a live run or a
// tool saves beside a session, such as the audio of a turn or a generated
// report. Each save of a name is a new version, 1 for the first; loading
// version 0 gives the newest.
//
// An artifact belongs to one session of a user of an app, or, when its
// name starts with [UserPrefix] ("user:"), to the user, seen from every
// session of theirs, as in ADK. A part is inline data (bytes and a MIME
// type) or text.
//
// [InMemory] keeps artifacts in memory; [Filesystem] keeps them in files
// under a directory, the bytes as they are, so they survive restarts and
// can be read by other tools.
package artifact
