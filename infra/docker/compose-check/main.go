// compose-check loads a Compose file the way `docker compose` does (compose-go is the loader Docker
// Compose itself is built on), so no Docker engine is needed to know the file is valid: the
// Compose Specification's schema, interpolation of ${VAR:-default}, YAML anchors and merges,
// depends_on targets and conditions. On success it prints the resolved project as JSON (what
// `docker compose config --format json` prints) for tests to read; on failure, the loader's error
// and exit status 1.
//
//	compose-check [-env-file FILE] docker-compose.yml
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	envFile := flag.String("env-file", "", "a .env file to interpolate with (default: none, so only the file's own defaults apply)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: compose-check [-env-file FILE] docker-compose.yml")
		os.Exit(2)
	}
	file, err := filepath.Abs(flag.Arg(0))
	if err != nil {
		fail(err)
	}
	options := []cli.ProjectOptionsFn{
		cli.WithWorkingDirectory(filepath.Dir(file)),
		cli.WithName("convene"),
		cli.WithResolvedPaths(true),
	}
	if *envFile != "" {
		options = append(options, cli.WithEnvFiles(*envFile), cli.WithDotEnv)
	}
	projectOptions, err := cli.NewProjectOptions([]string{file}, options...)
	if err != nil {
		fail(err)
	}
	project, err := projectOptions.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	out, err := json.MarshalIndent(project, "", "  ")
	if err != nil {
		fail(err)
	}
	fmt.Println(string(out))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "compose-check:", err)
	os.Exit(1)
}
