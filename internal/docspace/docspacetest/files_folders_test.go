package docspacetest

import (
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// contentTitles lists the titles of a FolderContentDto: folders, then files.
func contentTitles(c contentJSON) []string {
	var out []string
	for _, f := range c.Folders {
		out = append(out, f.Title)
	}
	for _, f := range c.Files {
		out = append(out, f.Title)
	}
	return out
}

func TestFolderContents(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	janeMy := p.myDocs(demoJane)
	path := func(id int, query string) string { return "/api/2.0/files/" + strconv.Itoa(id) + query }
	cases := []struct {
		name   string
		user   string
		folder int
		query  string
		want   []string
		total  int
	}{
		{"folders first, then files, by title", demoJane, janeMy, "?sortBy=AZ",
			[]string{"Private", "Shared with team", "handover.docx", "todo.txt"}, 4},
		{"descending", demoJane, janeMy, "?sortBy=AZ&sortOrder=descending",
			[]string{"Shared with team", "Private", "todo.txt", "handover.docx"}, 4},
		{"page", demoJane, janeMy, "?sortBy=AZ&startIndex=1&count=2", []string{"Shared with team", "handover.docx"}, 4},
		{"past the end", demoJane, janeMy, "?startIndex=10", nil, 4},
		{"title search", demoJane, janeMy, "?filterValue=HAND", []string{"handover.docx"}, 1},
		{"files only", demoJane, janeMy, "?filterType=FilesOnly&sortBy=AZ", []string{"handover.docx", "todo.txt"}, 2},
		{"folders only", demoJane, janeMy, "?filterType=2&sortBy=AZ", []string{"Private", "Shared with team"}, 2},
		{"documents", demoJane, janeMy, "?filterType=DocumentsOnly&sortBy=AZ", []string{"handover.docx", "todo.txt"}, 2},
		{"search in subfolders", demoJane, janeMy, "?filterType=SpreadsheetsOnly&withSubFolders=true",
			[]string{"salary-review.xlsx"}, 1},
		{"by extension", demoJane, janeMy, "?filterType=ByExtension&extension=.txt", []string{"todo.txt"}, 1},
		{"by author", demoService, folderJaneWork, "?filterType=ByUser&userIdOrGroupId=" + demoJane + "&sortBy=AZ",
			[]string{"Drafts", "notes.docx", "plan.xlsx"}, 3},
		{"by author excluded", demoService, folderJaneWork, "?filterType=ByUser&userIdOrGroupId=" + demoJane +
			"&excludeSubject=true", nil, 0},
		{"room contents", demoJohn, roomFalcon, "", []string{"Specs", "roadmap.pptx"}, 2},
		{"the rooms section lists visible rooms", demoMaria, 1, "?sortBy=AZ", []string{"Marketing Assets", "Workspaces"}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c contentJSON
			p.get(tc.user, path(tc.folder, tc.query)).okInto(t, &c)
			if got := contentTitles(c); !cmp.Equal(got, tc.want) {
				t.Errorf("titles = %v, want %v", got, tc.want)
			}
			if c.Total != tc.total || c.Count != len(tc.want) || c.Current.ID != tc.folder {
				t.Errorf("total/count/current = %d/%d/%d, want %d/%d/%d", c.Total, c.Count, c.Current.ID, tc.total,
					len(tc.want), tc.folder)
			}
		})
	}
	t.Run("path parts run from the root", func(t *testing.T) {
		var c contentJSON
		p.get(demoService, path(folderJaneDrafts, "")).okInto(t, &c)
		var titles []string
		for _, pp := range c.PathParts {
			titles = append(titles, pp.Title)
		}
		if want := []string{"Rooms", "Workspaces", "Jane Roe", "Drafts"}; !cmp.Equal(titles, want) {
			t.Errorf("pathParts = %v, want %v", titles, want)
		}
	})
	t.Run("count must lie in 1..100", func(t *testing.T) {
		p.ts.Spec.ExpectInvalidRequest("getFolderByFolderId")
		for _, q := range []string{"?count=101", "?count=0"} {
			wantValidation(t, p.get(demoJane, path(janeMy, q)), "Count")
		}
		wantValidation(t, p.get(demoJane, path(janeMy, "?count=abc")), "count")
	})
	t.Run("entries inside rooms carry the room type", func(t *testing.T) {
		f := p.folder(demoService, folderJaneWork)
		if f.ParentRoomType == nil || *f.ParentRoomType != int(FolderCustomRoom) || f.RoomType != nil {
			t.Errorf("folder in a room: %+v", f)
		}
		room := p.folder(demoService, roomWorkspaces)
		if room.RoomType == nil || *room.RoomType != int(RoomCustom) || room.ParentRoomType != nil {
			t.Errorf("room: %+v", room)
		}
		if room.FoldersCount != 18 || room.FilesCount != 27 {
			t.Errorf("folders/files count = %d/%d, want the subtree's 18/27", room.FoldersCount, room.FilesCount)
		}
	})
	t.Run("files render as FileDto", func(t *testing.T) {
		var c contentJSON
		p.get(demoService, path(folderJaneWork, "?filterType=FilesOnly&sortBy=AZ")).okInto(t, &c)
		if len(c.Files) != 2 {
			t.Fatalf("files %+v", c.Files)
		}
		got := c.Files[0]
		want := fileJSON{ID: fileJaneNotes, Title: "notes.docx", FolderID: folderJaneWork, Version: 1, FileExst: ".docx",
			PureContentLength: 26, ContentLength: "26 bytes", WebURL: p.ts.URL + "/doceditor?fileid=2001&version=1",
			FileEntryType: int(KindFile)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("file (-want +got):\n%s", diff)
		}
	})
	t.Run("guests have no my documents", func(t *testing.T) {
		wantError(t, p.get(demoEmma, "/api/2.0/files/@my"), http.StatusNotFound, msgFolderNotFound)
	})
	t.Run("a file id is not a folder", func(t *testing.T) {
		wantError(t, p.get(demoJane, "/api/2.0/files/folder/"+strconv.Itoa(fileJaneTodo)),
			http.StatusNotFound, msgFolderNotFound)
	})
	t.Run("the archive lists archived rooms", func(t *testing.T) {
		var c contentJSON
		p.get(demoService, path(p.ts.ArchiveFolderID(), "")).okInto(t, &c)
		var ids []int
		for _, f := range c.Folders {
			ids = append(ids, f.ID)
		}
		slices.Sort(ids)
		if !cmp.Equal(ids, []int{roomOldPitch}) {
			t.Errorf("archive lists %v", ids)
		}
	})
}

func TestSizeString(t *testing.T) {
	t.Parallel()
	cases := []struct {
		n    int64
		want string
	}{{0, "0 bytes"}, {26, "26 bytes"}, {1023, "1023 bytes"}, {1024, "1 KB"}, {1536, "1.5 KB"}, {1 << 20, "1 MB"},
		{5*(1<<30) + (1 << 29), "5.5 GB"}}
	for _, tc := range cases {
		if got := sizeString(tc.n); got != tc.want {
			t.Errorf("sizeString(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestFolderURL(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	if _, err := p.ts.FolderURL("https://portal.example", 424242); err == nil {
		t.Errorf("FolderURL of a missing folder succeeded")
	}
	if _, err := p.ts.FolderURL("https://portal.example", fileJaneTodo); err == nil {
		t.Errorf("FolderURL of a file succeeded")
	}
	got, err := p.ts.FolderURL("https://portal.example/", folderJaneDrafts)
	if want := "https://portal.example/rooms/shared/1000/filter?folder=1101"; err != nil || got != want {
		t.Errorf("FolderURL = %q, %v; want %q", got, err, want)
	}
}

func TestGetFileInfo(t *testing.T) {
	t.Parallel()
	p := startDemo(t)
	path := func(id int, q string) string { return "/api/2.0/files/file/" + strconv.Itoa(id) + q }
	var f fileJSON
	p.get(demoLukas, path(fileJaneHandover, "")).okInto(t, &f)
	if f.ID != fileJaneHandover || f.Title != "handover.docx" || f.Version != 1 {
		t.Errorf("sharee reads %+v", f)
	}
	wantError(t, p.get(demoService, path(fileJaneHandover, "")), http.StatusForbidden, msgReadFile)
	wantError(t, p.get(demoService, path(424242, "")), http.StatusNotFound, msgFileNotFound)
	wantError(t, p.get(demoService, path(folderJaneWork, "")), http.StatusNotFound, msgFileNotFound)

	my := p.myDocs(demoService)
	for _, content := range []string{"one", "two!"} {
		p.upload(demoService, my, "title=v.txt", "text/plain", []byte(content)).ok(t)
	}
	id := p.ts.FindEntries(func(e Entry) bool { return e.Title == "v.txt" })[0].ID
	var v1, cur fileJSON
	p.get(demoService, path(id, "?version=1")).okInto(t, &v1)
	p.get(demoService, path(id, "")).okInto(t, &cur)
	if v1.Version != 1 || v1.PureContentLength != 3 || cur.Version != 2 || cur.PureContentLength != 4 {
		t.Errorf("version 1 %+v, current %+v", v1, cur)
	}
	wantError(t, p.get(demoService, path(id, "?version=3")), http.StatusNotFound, msgFileNotFound)
}
