package chaos

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/docspace-offboarding/docspace-offboarding/internal/docspace/docspacetest"
)

// Person is a DocSpace user of a generated company.
type Person struct {
	ID        string
	FirstName string
	LastName  string
	Email     string
}

// DisplayName is the name DocSpace shows: first and last name.
func (p Person) DisplayName() string { return strings.TrimSpace(p.FirstName + " " + p.LastName) }

// Employee is a person with a workspace: a folder of their own inside the
// "Workspaces" room, and perhaps a room they own, shared files in their My
// documents, and audit and login history.
type Employee struct {
	Person
	// EmployeeID is the HRIS id.
	EmployeeID string
	// FolderID is the workspace folder.
	FolderID int
	// RoomID is a room the employee owns, or 0.
	RoomID int
	// RoomAdmin is true for employees of type RoomAdmin (room owners).
	RoomAdmin bool
}

// ArchiveRoomTitle is the title of the room the service makes for the
// employee's archive.
func (e Employee) ArchiveRoomTitle() string {
	return ArchiveRoomPrefix + e.DisplayName() + " (" + e.EmployeeID + ")"
}

// ArchiveRoomPrefix starts the title of every room the service makes per employee.
const ArchiveRoomPrefix = "Offboarding archive: "

// Company is a generated DocSpace portal to offboard people from: its owner,
// the service account (a DocSpace admin whose API key the consumer uses), the
// archive owner (a RoomAdmin who receives content), an HR group, the
// employees to offboard and bystanders who must stay untouched.
type Company struct {
	Owner          Person
	ServiceAccount Person
	ArchiveOwner   Person
	HRManager      Person
	HRGroupID      string
	// APIKey is the service account's API key (a simulator key).
	APIKey string
	// WorkspacesRoomID is the room, owned by the service account, that holds
	// every workspace folder.
	WorkspacesRoomID int
	Employees        []Employee
	Bystanders       []Employee
	// Created is when the company was generated; its history lies before it.
	Created time.Time
}

// Fixture ids. Rooms, folders and files the fixture names get ids below
// the ranges the simulator assigns to what it creates.
const (
	workspacesRoomID = 1000
	firstFolderID    = 10_000
	firstRoomID      = 20_000
	firstFileID      = 30_000
)

// Names the employees of a generated company are made of.
const (
	firstNames = "Ada Ben Chloe Dmitri Elena Farid Grace Hiro Ines Jonas Kira Luis Mei Nikolai Olga Priya Quentin " +
		"Rosa Sven Tara Umar Vera Wen Xavier Yara Zoltan"
	lastNames = "Abbott Berg Costa Duarte Eriksen Fischer Garcia Haddad Ivanova Jensen Kowalski Lindqvist Moreau " +
		"Nakamura Okafor Petrov Quinn Rossi Schmidt Tanaka Ueda Varga Weber Xu Yilmaz Zhang"
)

// NewCompany generates a company with n employees to offboard and a few
// bystanders. The same seed gives the same company; now dates its history.
func NewCompany(n int, seed uint64, now time.Time) *Company {
	rng := rand.New(rand.NewPCG(seed, 0xc0ffee))
	c := &Company{
		Owner:            Person{ID: guid(0xa0, 1), FirstName: "Olivia", LastName: "Owner", Email: "owner@chaos.example"},
		ServiceAccount:   Person{ID: guid(0xa0, 2), FirstName: "Offboarding", LastName: "Service", Email: "offboarding@chaos.example"},
		ArchiveOwner:     Person{ID: guid(0xa0, 3), FirstName: "Archie", LastName: "Keeper", Email: "archive@chaos.example"},
		HRManager:        Person{ID: guid(0xa0, 4), FirstName: "Hannah", LastName: "Reed", Email: "hr@chaos.example"},
		HRGroupID:        guid(0xb0, 1),
		WorkspacesRoomID: workspacesRoomID,
		Created:          now.UTC().Truncate(time.Second),
	}
	var key strings.Builder
	key.WriteString("sk-")
	for range 4 {
		fmt.Fprintf(&key, "%016x", rng.Uint64())
	}
	c.APIKey = key.String()

	firsts, lasts := strings.Fields(firstNames), strings.Fields(lastNames)
	bystanders := max(2, n/10)
	for i := range n + bystanders {
		first := firsts[rng.IntN(len(firsts))]
		last := lasts[rng.IntN(len(lasts))]
		e := Employee{
			Person: Person{
				ID: guid(0xc0, i+1), FirstName: first, LastName: fmt.Sprintf("%s %d", last, i+1),
				Email: fmt.Sprintf("%s.%s.%d@chaos.example", strings.ToLower(first), strings.ToLower(last), i+1),
			},
			EmployeeID: fmt.Sprintf("EMP-%05d", i+1),
			FolderID:   firstFolderID + i,
		}
		if i%3 == 0 {
			e.RoomAdmin = true
			e.RoomID = firstRoomID + i
		}
		if i < n {
			c.Employees = append(c.Employees, e)
		} else {
			c.Bystanders = append(c.Bystanders, e)
		}
	}
	return c
}

// guid is a fixed-form user or group id: kind in the first byte, n at the end.
func guid(kind byte, n int) string {
	return fmt.Sprintf("%02x000000-0000-4000-8000-%012d", kind, n)
}

// everyone lists employees and bystanders.
func (c *Company) everyone() []Employee {
	return append(append([]Employee(nil), c.Employees...), c.Bystanders...)
}

// Fixture is the company as the simulator loads it.
func (c *Company) Fixture() docspacetest.Fixture {
	reg := c.Created.Add(-400 * 24 * time.Hour)
	f := docspacetest.Fixture{
		Users: []docspacetest.FixtureUser{
			{ID: c.Owner.ID, FirstName: c.Owner.FirstName, LastName: c.Owner.LastName, UserName: "owner",
				Email: c.Owner.Email, Department: "Management", Owner: true, Registered: reg},
			{ID: c.ServiceAccount.ID, FirstName: c.ServiceAccount.FirstName, LastName: c.ServiceAccount.LastName,
				UserName: "offboarding-svc", Email: c.ServiceAccount.Email, Department: "IT", Type: "DocSpaceAdmin", Registered: reg},
			{ID: c.ArchiveOwner.ID, FirstName: c.ArchiveOwner.FirstName, LastName: c.ArchiveOwner.LastName,
				UserName: "archive", Email: c.ArchiveOwner.Email, Department: "Records", Type: "RoomAdmin", Registered: reg},
			{ID: c.HRManager.ID, FirstName: c.HRManager.FirstName, LastName: c.HRManager.LastName,
				UserName: "hr", Email: c.HRManager.Email, Department: "HR", Type: "User", Registered: reg},
		},
		Groups: []docspacetest.FixtureGroup{
			{ID: c.HRGroupID, Name: "HR", Manager: c.HRManager.ID, Members: []string{c.HRManager.ID}},
		},
		Keys: []docspacetest.FixtureKey{
			{Owner: c.ServiceAccount.ID, Name: "offboarding", Secret: c.APIKey, Admin: true},
		},
	}
	staff := docspacetest.FixtureGroup{ID: guid(0xb0, 2), Name: "All staff"}
	workspaces := docspacetest.FixtureRoom{
		ID: c.WorkspacesRoomID, Title: "Workspaces", Type: "Custom", Owner: c.ServiceAccount.ID,
	}
	fileID := firstFileID
	nextFile := func() int { fileID++; return fileID }
	for i, e := range c.everyone() {
		u := docspacetest.FixtureUser{ID: e.ID, FirstName: e.FirstName, LastName: e.LastName,
			UserName: fmt.Sprintf("user%d", i+1), Email: e.Email, Department: "Staff", Type: "User",
			Registered: reg.Add(time.Duration(i) * time.Hour)}
		if e.RoomAdmin {
			u.Type = "RoomAdmin"
		}
		f.Users = append(f.Users, u)
		staff.Members = append(staff.Members, e.ID)
		workspaces.Members = append(workspaces.Members, docspacetest.FixtureShare{Subject: e.ID, Access: "ContentCreator"})
		workspaces.Folders = append(workspaces.Folders, docspacetest.FixtureFolder{
			ID: e.FolderID, Title: e.DisplayName(), CreatedBy: e.ID,
			Files: []docspacetest.FixtureFile{
				{ID: nextFile(), Title: "notes.docx", CreatedBy: e.ID, Content: "Working notes of " + e.DisplayName() + "."},
				{ID: nextFile(), Title: "plan.xlsx", CreatedBy: e.ID, Content: "Q1,Q2\n10,20\n"},
			},
		})
		if e.RoomID != 0 {
			f.Rooms = append(f.Rooms, docspacetest.FixtureRoom{
				ID: e.RoomID, Title: "Project of " + e.DisplayName(), Type: "Custom", Owner: e.ID,
				Members: []docspacetest.FixtureShare{{Subject: c.ArchiveOwner.ID, Access: "ContentCreator"}},
				Files:   []docspacetest.FixtureFile{{ID: nextFile(), Title: "charter.docx", CreatedBy: e.ID, Content: "Charter."}},
			})
		}
		if i%2 == 0 {
			f.Personal = append(f.Personal, docspacetest.FixturePersona{User: e.ID, Files: []docspacetest.FixtureFile{
				{ID: nextFile(), Title: "handover.docx", Content: "Handover notes.",
					Shares: []docspacetest.FixtureShare{{Subject: c.HRManager.ID, Access: "Read"}}},
				{ID: nextFile(), Title: "private.txt", Content: "mine"},
			}})
		}
		if i%4 != 3 {
			day := c.Created.Add(-time.Duration(2+i%20) * 24 * time.Hour)
			f.Audit = append(f.Audit, docspacetest.FixtureAudit{Date: day, User: e.ID, Action: "FileUploaded",
				Target: []string{fmt.Sprint(e.FolderID)}, Description: []string{"notes.docx"}})
			f.Logins = append(f.Logins, docspacetest.FixtureLogin{Date: day.Add(-time.Hour), User: e.ID, Action: "LoginSuccess",
				IP: fmt.Sprintf("10.0.%d.%d", i/250, i%250+1), Browser: "Firefox 128", Platform: "Linux", Page: "/"})
		}
	}
	f.Groups = append(f.Groups, staff)
	f.Rooms = append([]docspacetest.FixtureRoom{workspaces}, f.Rooms...)
	return f
}

// FixtureJSON is the fixture as the simulator's -fixture file.
func (c *Company) FixtureJSON() ([]byte, error) {
	b, err := json.MarshalIndent(c.Fixture(), "", " ")
	if err != nil {
		return nil, fmt.Errorf("encode fixture: %w", err)
	}
	return b, nil
}
