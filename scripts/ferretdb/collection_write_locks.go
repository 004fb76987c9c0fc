// Added to FerretDB v1's handler package by scripts/lib.sh (ensure_ferretdb) when it builds the
// local test server. FerretDB v1 runs update, findAndModify and delete as a query, a filter in Go
// and a write by _id, with nothing in between that stops a concurrent command: two conditional
// updates of one document ({_id, state: "armed"} → "fired") both match and both report a
// modification. MongoDB applies each such command atomically per document, and our code relies
// on that (state transitions, votes, alert arms). Serialising these commands per collection inside
// the one FerretDB process restores that guarantee for every client of the local server.

package handler

import "sync"

var collectionWriteLocks sync.Map // "db.collection" → *sync.Mutex

// lockCollectionWrites takes the collection's write lock and returns its release.
func lockCollectionWrites(db, collection string) func() {
	lock, _ := collectionWriteLocks.LoadOrStore(db+"."+collection, new(sync.Mutex))
	mu := lock.(*sync.Mutex)
	mu.Lock()

	return mu.Unlock
}
