/* Azure DevOps URLs: every form parses with every derived value; bad URLs and names get their fix. */
#include <config.h>

#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "azure_name.h"
#include "azure_url.h"
#include "azure_url_text.h"

#define TP AZ_URL_PROJECT
#define TR AZ_URL_REPO
#define CH AZ_CONN_HTTP
#define CS AZ_CONN_SSH

struct good {
	const char *url;
	enum az_url_type type;
	enum az_connection conn;
	const char *test_repo;
	enum azure_transport transport;
	bool server;
	const char *host;
	int port;
	const char *user;
	const char *org, *collection, *project, *repo;
	const char *repo_url, *probe, *rest_base, *rest_repo, *ssh_path;
};

/* Every form of azure-facts.md §3, the local test-server shapes, encodings and unicode. */
static const struct good good[] = {
	{ "https://dev.azure.com/contoso/Payments", TP, CH, "web",
	  AZURE_HTTPS, false, "dev.azure.com", 0, NULL,
	  "contoso", NULL, "Payments", NULL,
	  "https://dev.azure.com/contoso/Payments/_git/web",
	  "https://dev.azure.com/contoso/Payments/_git/web/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  NULL },
	{ "https://dev.azure.com/contoso/Payments/", TP, CH, "web",
	  AZURE_HTTPS, false, "dev.azure.com", 0, NULL,
	  "contoso", NULL, "Payments", NULL,
	  "https://dev.azure.com/contoso/Payments/_git/web",
	  "https://dev.azure.com/contoso/Payments/_git/web/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  NULL },
	{ "https://dev.azure.com/contoso/Payments%20Platform", TP, CH, "payments-api",
	  AZURE_HTTPS, false, "dev.azure.com", 0, NULL,
	  "contoso", NULL, "Payments Platform", NULL,
	  "https://dev.azure.com/contoso/Payments%20Platform/_git/payments-api",
	  "https://dev.azure.com/contoso/Payments%20Platform/_git/payments-api/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments%20Platform/_apis/git/repositories/payments-api",
	  NULL },
	{ "https://dev.azure.com/contoso/Payments", TP, CH, "my repo",
	  AZURE_HTTPS, false, "dev.azure.com", 0, NULL,
	  "contoso", NULL, "Payments", NULL,
	  "https://dev.azure.com/contoso/Payments/_git/my%20repo",
	  "https://dev.azure.com/contoso/Payments/_git/my%20repo/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/my%20repo",
	  NULL },
	{ "https://dev.azure.com/contoso/Payments/_git/web", TR, CH, NULL,
	  AZURE_HTTPS, false, "dev.azure.com", 0, NULL,
	  "contoso", NULL, "Payments", "web",
	  "https://dev.azure.com/contoso/Payments/_git/web",
	  "https://dev.azure.com/contoso/Payments/_git/web/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  NULL },
	{ "https://dev.azure.com/contoso/Payments/_git/web/", TR, CH, NULL,
	  AZURE_HTTPS, false, "dev.azure.com", 0, NULL,
	  "contoso", NULL, "Payments", "web",
	  "https://dev.azure.com/contoso/Payments/_git/web",
	  "https://dev.azure.com/contoso/Payments/_git/web/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  NULL },
	{ "https://contoso@dev.azure.com/contoso/Payments/_git/web", TR, CH, NULL,
	  AZURE_HTTPS, false, "dev.azure.com", 0, "contoso",
	  "contoso", NULL, "Payments", "web",
	  "https://contoso@dev.azure.com/contoso/Payments/_git/web",
	  "https://dev.azure.com/contoso/Payments/_git/web/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  NULL },
	{ "https://contoso@dev.azure.com/contoso/Payments", TP, CH, "api",
	  AZURE_HTTPS, false, "dev.azure.com", 0, "contoso",
	  "contoso", NULL, "Payments", NULL,
	  "https://contoso@dev.azure.com/contoso/Payments/_git/api",
	  "https://dev.azure.com/contoso/Payments/_git/api/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/api",
	  NULL },
	{ "https://CONTOSO@dev.azure.com/contoso/Payments/_git/web", TR, CH, NULL,
	  AZURE_HTTPS, false, "dev.azure.com", 0, "CONTOSO",
	  "contoso", NULL, "Payments", "web",
	  "https://CONTOSO@dev.azure.com/contoso/Payments/_git/web",
	  "https://dev.azure.com/contoso/Payments/_git/web/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  NULL },
	{ "https://dev.azure.com/contoso/_git/Payments", TR, CH, NULL,
	  AZURE_HTTPS, false, "dev.azure.com", 0, NULL,
	  "contoso", NULL, "Payments", "Payments",
	  "https://dev.azure.com/contoso/_git/Payments",
	  "https://dev.azure.com/contoso/_git/Payments/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/Payments",
	  NULL },
	{ "https://www.dev.azure.com/contoso/Payments/_git/web", TR, CH, NULL,
	  AZURE_HTTPS, false, "www.dev.azure.com", 0, NULL,
	  "contoso", NULL, "Payments", "web",
	  "https://www.dev.azure.com/contoso/Payments/_git/web",
	  "https://www.dev.azure.com/contoso/Payments/_git/web/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  NULL },
	{ "https://dev.azure.com/contoso/Payments/_GIT/web", TR, CH, NULL,
	  AZURE_HTTPS, false, "dev.azure.com", 0, NULL,
	  "contoso", NULL, "Payments", "web",
	  "https://dev.azure.com/contoso/Payments/_GIT/web",
	  "https://dev.azure.com/contoso/Payments/_git/web/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  NULL },
	{ "https://dev.azure.com:443/contoso/Payments/_git/web", TR, CH, NULL,
	  AZURE_HTTPS, false, "dev.azure.com", 443, NULL,
	  "contoso", NULL, "Payments", "web",
	  "https://dev.azure.com:443/contoso/Payments/_git/web",
	  "https://dev.azure.com:443/contoso/Payments/_git/web/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  NULL },
	{ "https://dev.azure.com/contoso/Payments%20Platform/_git/my%20repo", TR, CH, NULL,
	  AZURE_HTTPS, false, "dev.azure.com", 0, NULL,
	  "contoso", NULL, "Payments Platform", "my repo",
	  "https://dev.azure.com/contoso/Payments%20Platform/_git/my%20repo",
	  "https://dev.azure.com/contoso/Payments%20Platform/_git/my%20repo/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments%20Platform/_apis/git/repositories/my%20repo",
	  NULL },
	{ "https://dev.azure.com/contoso/Payments%20platform/_git/web%2dapi", TR, CH, NULL,
	  AZURE_HTTPS, false, "dev.azure.com", 0, NULL,
	  "contoso", NULL, "Payments platform", "web-api",
	  "https://dev.azure.com/contoso/Payments%20platform/_git/web%2dapi",
	  "https://dev.azure.com/contoso/Payments%20platform/_git/web-api/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments%20platform/_apis/git/repositories/web-api",
	  NULL },
	{ "https://dev.azure.com/contoso/Payments/_git/web.api(v2)", TR, CH, NULL,
	  AZURE_HTTPS, false, "dev.azure.com", 0, NULL,
	  "contoso", NULL, "Payments", "web.api(v2)",
	  "https://dev.azure.com/contoso/Payments/_git/web.api(v2)",
	  "https://dev.azure.com/contoso/Payments/_git/web.api(v2)/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web.api(v2)",
	  NULL },
	{ "https://dev.azure.com/contoso/Payments/_git/web_api-2!x", TR, CH, NULL,
	  AZURE_HTTPS, false, "dev.azure.com", 0, NULL,
	  "contoso", NULL, "Payments", "web_api-2!x",
	  "https://dev.azure.com/contoso/Payments/_git/web_api-2!x",
	  "https://dev.azure.com/contoso/Payments/_git/web_api-2!x/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web_api-2!x",
	  NULL },
	{ "https://contoso.visualstudio.com/Payments", TP, CH, "web",
	  AZURE_HTTPS, false, "contoso.visualstudio.com", 0, NULL,
	  "contoso", NULL, "Payments", NULL,
	  "https://contoso.visualstudio.com/Payments/_git/web",
	  "https://contoso.visualstudio.com/Payments/_git/web/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  NULL },
	{ "https://contoso.visualstudio.com/DefaultCollection/Payments", TP, CH, "web",
	  AZURE_HTTPS, false, "contoso.visualstudio.com", 0, NULL,
	  "contoso", "DefaultCollection", "Payments", NULL,
	  "https://contoso.visualstudio.com/DefaultCollection/Payments/_git/web",
	  "https://contoso.visualstudio.com/DefaultCollection/Payments/_git/web/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  NULL },
	{ "https://contoso.visualstudio.com/DefaultCollection/Payments/_git/web", TR, CH, NULL,
	  AZURE_HTTPS, false, "contoso.visualstudio.com", 0, NULL,
	  "contoso", "DefaultCollection", "Payments", "web",
	  "https://contoso.visualstudio.com/DefaultCollection/Payments/_git/web",
	  "https://contoso.visualstudio.com/DefaultCollection/Payments/_git/web/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  NULL },
	{ "https://contoso.visualstudio.com/Payments/_git/web", TR, CH, NULL,
	  AZURE_HTTPS, false, "contoso.visualstudio.com", 0, NULL,
	  "contoso", NULL, "Payments", "web",
	  "https://contoso.visualstudio.com/Payments/_git/web",
	  "https://contoso.visualstudio.com/Payments/_git/web/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  NULL },
	{ "https://contoso.visualstudio.com/_git/Payments", TR, CH, NULL,
	  AZURE_HTTPS, false, "contoso.visualstudio.com", 0, NULL,
	  "contoso", NULL, "Payments", "Payments",
	  "https://contoso.visualstudio.com/_git/Payments",
	  "https://contoso.visualstudio.com/_git/Payments/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/Payments",
	  NULL },
	{ "https://contoso@contoso.visualstudio.com/DefaultCollection/Payments/_git/web", TR, CH, NULL,
	  AZURE_HTTPS, false, "contoso.visualstudio.com", 0, "contoso",
	  "contoso", "DefaultCollection", "Payments", "web",
	  "https://contoso@contoso.visualstudio.com/DefaultCollection/Payments/_git/web",
	  "https://contoso.visualstudio.com/DefaultCollection/Payments/_git/web/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  NULL },
	{ "git@ssh.dev.azure.com:v3/contoso/Payments/web", TR, CS, NULL,
	  AZURE_SSH, false, "ssh.dev.azure.com", 0, "git",
	  "contoso", NULL, "Payments", "web",
	  "git@ssh.dev.azure.com:v3/contoso/Payments/web",
	  NULL,
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  "v3/contoso/Payments/web" },
	{ "git@ssh.dev.azure.com:v3/contoso/Payments", TP, CS, "web",
	  AZURE_SSH, false, "ssh.dev.azure.com", 0, "git",
	  "contoso", NULL, "Payments", NULL,
	  "git@ssh.dev.azure.com:v3/contoso/Payments/web",
	  NULL,
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  "v3/contoso/Payments/web" },
	{ "git@ssh.dev.azure.com:v3/contoso/Payments/", TP, CS, "web",
	  AZURE_SSH, false, "ssh.dev.azure.com", 0, "git",
	  "contoso", NULL, "Payments", NULL,
	  "git@ssh.dev.azure.com:v3/contoso/Payments/web",
	  NULL,
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  "v3/contoso/Payments/web" },
	{ "git@ssh.dev.azure.com:v3/contoso/Payments", TP, CS, "my repo",
	  AZURE_SSH, false, "ssh.dev.azure.com", 0, "git",
	  "contoso", NULL, "Payments", NULL,
	  "git@ssh.dev.azure.com:v3/contoso/Payments/my%20repo",
	  NULL,
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/my%20repo",
	  "v3/contoso/Payments/my%20repo" },
	{ "git@ssh.dev.azure.com:v3/ms-quantum/Quantum%20Program/qiotoolkit", TR, CS, NULL,
	  AZURE_SSH, false, "ssh.dev.azure.com", 0, "git",
	  "ms-quantum", NULL, "Quantum Program", "qiotoolkit",
	  "git@ssh.dev.azure.com:v3/ms-quantum/Quantum%20Program/qiotoolkit",
	  NULL,
	  "https://dev.azure.com/ms-quantum",
	  "https://dev.azure.com/ms-quantum/Quantum%20Program/_apis/git/repositories/qiotoolkit",
	  "v3/ms-quantum/Quantum%20Program/qiotoolkit" },
	{ "git@ssh.dev.azure.com:/v3/contoso/Payments/web", TR, CS, NULL,
	  AZURE_SSH, false, "ssh.dev.azure.com", 0, "git",
	  "contoso", NULL, "Payments", "web",
	  "git@ssh.dev.azure.com:/v3/contoso/Payments/web",
	  NULL,
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  "/v3/contoso/Payments/web" },
	{ "ssh://git@ssh.dev.azure.com/v3/contoso/Payments/web", TR, CS, NULL,
	  AZURE_SSH, false, "ssh.dev.azure.com", 0, "git",
	  "contoso", NULL, "Payments", "web",
	  "ssh://git@ssh.dev.azure.com/v3/contoso/Payments/web",
	  NULL,
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  "/v3/contoso/Payments/web" },
	{ "ssh://git@ssh.dev.azure.com:22/v3/contoso/Payments", TP, CS, "web",
	  AZURE_SSH, false, "ssh.dev.azure.com", 22, "git",
	  "contoso", NULL, "Payments", NULL,
	  "ssh://git@ssh.dev.azure.com:22/v3/contoso/Payments/web",
	  NULL,
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  "/v3/contoso/Payments/web" },
	{ "ssh://git@ssh.dev.azure.com/v3/contoso/Payments/web/", TR, CS, NULL,
	  AZURE_SSH, false, "ssh.dev.azure.com", 0, "git",
	  "contoso", NULL, "Payments", "web",
	  "ssh://git@ssh.dev.azure.com/v3/contoso/Payments/web",
	  NULL,
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  "/v3/contoso/Payments/web" },
	{ "ssh://contoso@vs-ssh.visualstudio.com/v3/contoso/Payments/web", TR, CS, NULL,
	  AZURE_SSH, false, "vs-ssh.visualstudio.com", 0, "contoso",
	  "contoso", NULL, "Payments", "web",
	  "ssh://contoso@vs-ssh.visualstudio.com/v3/contoso/Payments/web",
	  NULL,
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  "/v3/contoso/Payments/web" },
	{ "ssh://contoso@vs-ssh.visualstudio.com:22/v3/contoso/Payments", TP, CS, "web",
	  AZURE_SSH, false, "vs-ssh.visualstudio.com", 22, "contoso",
	  "contoso", NULL, "Payments", NULL,
	  "ssh://contoso@vs-ssh.visualstudio.com:22/v3/contoso/Payments/web",
	  NULL,
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  "/v3/contoso/Payments/web" },
	{ "ssh://contoso@vs-ssh.visualstudio.com:22/DefaultCollection/Payments/_ssh/web", TR, CS, NULL,
	  AZURE_SSH, false, "vs-ssh.visualstudio.com", 22, "contoso",
	  "contoso", "DefaultCollection", "Payments", "web",
	  "ssh://contoso@vs-ssh.visualstudio.com:22/DefaultCollection/Payments/_ssh/web",
	  NULL,
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web",
	  "/DefaultCollection/Payments/_ssh/web" },
	{ "https://tfs.example.com/tfs/DefaultCollection/Payments/_git/web", TR, CH, NULL,
	  AZURE_HTTPS, true, "tfs.example.com", 0, NULL,
	  "DefaultCollection", "DefaultCollection", "Payments", "web",
	  "https://tfs.example.com/tfs/DefaultCollection/Payments/_git/web",
	  "https://tfs.example.com/tfs/DefaultCollection/Payments/_git/web/info/refs?service=git-upload-pack",
	  "https://tfs.example.com/tfs/DefaultCollection",
	  "https://tfs.example.com/tfs/DefaultCollection/Payments/_apis/git/repositories/web",
	  NULL },
	/* A server whose name only ends like a forge's is no forge. */
	{ "https://mygithub.com/DefaultCollection/Payments/_git/web", TR, CH, NULL,
	  AZURE_HTTPS, true, "mygithub.com", 0, NULL,
	  "DefaultCollection", "DefaultCollection", "Payments", "web",
	  "https://mygithub.com/DefaultCollection/Payments/_git/web",
	  "https://mygithub.com/DefaultCollection/Payments/_git/web/info/refs?service=git-upload-pack",
	  "https://mygithub.com/DefaultCollection",
	  "https://mygithub.com/DefaultCollection/Payments/_apis/git/repositories/web",
	  NULL },
	{ "https://tfs.example.com:8080/tfs/DefaultCollection/Payments", TP, CH, "web",
	  AZURE_HTTPS, true, "tfs.example.com", 8080, NULL,
	  "DefaultCollection", "DefaultCollection", "Payments", NULL,
	  "https://tfs.example.com:8080/tfs/DefaultCollection/Payments/_git/web",
	  "https://tfs.example.com:8080/tfs/DefaultCollection/Payments/_git/web/info/refs?service=git-upload-pack",
	  "https://tfs.example.com:8080/tfs/DefaultCollection",
	  "https://tfs.example.com:8080/tfs/DefaultCollection/Payments/_apis/git/repositories/web",
	  NULL },
	{ "https://TFS.example.com/TFS/Fabrikam/Payments", TP, CH, "web",
	  AZURE_HTTPS, true, "tfs.example.com", 0, NULL,
	  "Fabrikam", "Fabrikam", "Payments", NULL,
	  "https://TFS.example.com/TFS/Fabrikam/Payments/_git/web",
	  "https://tfs.example.com/TFS/Fabrikam/Payments/_git/web/info/refs?service=git-upload-pack",
	  "https://tfs.example.com/tfs/Fabrikam",
	  "https://tfs.example.com/tfs/Fabrikam/Payments/_apis/git/repositories/web",
	  NULL },
	{ "https://devops.example.com/Fabrikam/Payments/_git/web", TR, CH, NULL,
	  AZURE_HTTPS, true, "devops.example.com", 0, NULL,
	  "Fabrikam", "Fabrikam", "Payments", "web",
	  "https://devops.example.com/Fabrikam/Payments/_git/web",
	  "https://devops.example.com/Fabrikam/Payments/_git/web/info/refs?service=git-upload-pack",
	  "https://devops.example.com/Fabrikam",
	  "https://devops.example.com/Fabrikam/Payments/_apis/git/repositories/web",
	  NULL },
	{ "https://devops.example.com/Fabrikam/_git/Payments", TR, CH, NULL,
	  AZURE_HTTPS, true, "devops.example.com", 0, NULL,
	  "Fabrikam", "Fabrikam", "Payments", "Payments",
	  "https://devops.example.com/Fabrikam/_git/Payments",
	  "https://devops.example.com/Fabrikam/_git/Payments/info/refs?service=git-upload-pack",
	  "https://devops.example.com/Fabrikam",
	  "https://devops.example.com/Fabrikam/Payments/_apis/git/repositories/Payments",
	  NULL },
	{ "https://tfs.example.com/tfs/My%20Collection/Payments/_git/web", TR, CH, NULL,
	  AZURE_HTTPS, true, "tfs.example.com", 0, NULL,
	  "My Collection", "My Collection", "Payments", "web",
	  "https://tfs.example.com/tfs/My%20Collection/Payments/_git/web",
	  "https://tfs.example.com/tfs/My%20Collection/Payments/_git/web/info/refs?service=git-upload-pack",
	  "https://tfs.example.com/tfs/My%20Collection",
	  "https://tfs.example.com/tfs/My%20Collection/Payments/_apis/git/repositories/web",
	  NULL },
	{ "ssh://tfs.example.com:22/tfs/DefaultCollection/Payments/_git/web", TR, CS, NULL,
	  AZURE_SSH, true, "tfs.example.com", 22, NULL,
	  "DefaultCollection", "DefaultCollection", "Payments", "web",
	  "ssh://tfs.example.com:22/tfs/DefaultCollection/Payments/_git/web",
	  NULL,
	  "https://tfs.example.com/tfs/DefaultCollection",
	  "https://tfs.example.com/tfs/DefaultCollection/Payments/_apis/git/repositories/web",
	  "/tfs/DefaultCollection/Payments/_git/web" },
	{ "ssh://git@tfs.example.com/DefaultCollection/Payments/_git/web", TR, CS, NULL,
	  AZURE_SSH, true, "tfs.example.com", 0, "git",
	  "DefaultCollection", "DefaultCollection", "Payments", "web",
	  "ssh://git@tfs.example.com/DefaultCollection/Payments/_git/web",
	  NULL,
	  "https://tfs.example.com/DefaultCollection",
	  "https://tfs.example.com/DefaultCollection/Payments/_apis/git/repositories/web",
	  "/DefaultCollection/Payments/_git/web" },
	{ "git@tfs.example.com:DefaultCollection/Payments/_git/web", TR, CS, NULL,
	  AZURE_SSH, true, "tfs.example.com", 0, "git",
	  "DefaultCollection", "DefaultCollection", "Payments", "web",
	  "git@tfs.example.com:DefaultCollection/Payments/_git/web",
	  NULL,
	  "https://tfs.example.com/DefaultCollection",
	  "https://tfs.example.com/DefaultCollection/Payments/_apis/git/repositories/web",
	  "DefaultCollection/Payments/_git/web" },
	{ "https://127.0.0.1:8443/org1/proj1/_git/repo1", TR, CH, NULL,
	  AZURE_HTTPS, true, "127.0.0.1", 8443, NULL,
	  "org1", "org1", "proj1", "repo1",
	  "https://127.0.0.1:8443/org1/proj1/_git/repo1",
	  "https://127.0.0.1:8443/org1/proj1/_git/repo1/info/refs?service=git-upload-pack",
	  "https://127.0.0.1:8443/org1",
	  "https://127.0.0.1:8443/org1/proj1/_apis/git/repositories/repo1",
	  NULL },
	{ "https://127.0.0.1:8443/org1/proj1", TP, CH, "repo1",
	  AZURE_HTTPS, true, "127.0.0.1", 8443, NULL,
	  "org1", "org1", "proj1", NULL,
	  "https://127.0.0.1:8443/org1/proj1/_git/repo1",
	  "https://127.0.0.1:8443/org1/proj1/_git/repo1/info/refs?service=git-upload-pack",
	  "https://127.0.0.1:8443/org1",
	  "https://127.0.0.1:8443/org1/proj1/_apis/git/repositories/repo1",
	  NULL },
	{ "ssh://git@127.0.0.1:2222/v3/org1/proj1/repo1", TR, CS, NULL,
	  AZURE_SSH, true, "127.0.0.1", 2222, "git",
	  "org1", "org1", "proj1", "repo1",
	  "ssh://git@127.0.0.1:2222/v3/org1/proj1/repo1",
	  NULL,
	  "https://127.0.0.1/org1",
	  "https://127.0.0.1/org1/proj1/_apis/git/repositories/repo1",
	  "/v3/org1/proj1/repo1" },
	{ "ssh://git@127.0.0.1:2222/v3/org1/proj1", TP, CS, "repo1",
	  AZURE_SSH, true, "127.0.0.1", 2222, "git",
	  "org1", "org1", "proj1", NULL,
	  "ssh://git@127.0.0.1:2222/v3/org1/proj1/repo1",
	  NULL,
	  "https://127.0.0.1/org1",
	  "https://127.0.0.1/org1/proj1/_apis/git/repositories/repo1",
	  "/v3/org1/proj1/repo1" },
	{ "https://[::1]:8443/org1/proj1/_git/repo1", TR, CH, NULL,
	  AZURE_HTTPS, true, "[::1]", 8443, NULL,
	  "org1", "org1", "proj1", "repo1",
	  "https://[::1]:8443/org1/proj1/_git/repo1",
	  "https://[::1]:8443/org1/proj1/_git/repo1/info/refs?service=git-upload-pack",
	  "https://[::1]:8443/org1",
	  "https://[::1]:8443/org1/proj1/_apis/git/repositories/repo1",
	  NULL },
	{ "git@[::1]:v3/org1/proj1/repo1", TR, CS, NULL,
	  AZURE_SSH, true, "[::1]", 0, "git",
	  "org1", "org1", "proj1", "repo1",
	  "git@[::1]:v3/org1/proj1/repo1",
	  NULL,
	  "https://[::1]/org1",
	  "https://[::1]/org1/proj1/_apis/git/repositories/repo1",
	  "v3/org1/proj1/repo1" },
	{ "https://dev.azure.com/contoso/Zahlungsverkehr-Ü/_git/web", TR, CH, NULL,
	  AZURE_HTTPS, false, "dev.azure.com", 0, NULL,
	  "contoso", NULL, "Zahlungsverkehr-Ü", "web",
	  "https://dev.azure.com/contoso/Zahlungsverkehr-Ü/_git/web",
	  "https://dev.azure.com/contoso/Zahlungsverkehr-%C3%9C/_git/web/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Zahlungsverkehr-%C3%9C/_apis/git/repositories/web",
	  NULL },
	{ "https://dev.azure.com/contoso/Zahlungsverkehr-%C3%9C/_git/web", TR, CH, NULL,
	  AZURE_HTTPS, false, "dev.azure.com", 0, NULL,
	  "contoso", NULL, "Zahlungsverkehr-Ü", "web",
	  "https://dev.azure.com/contoso/Zahlungsverkehr-%C3%9C/_git/web",
	  "https://dev.azure.com/contoso/Zahlungsverkehr-%C3%9C/_git/web/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Zahlungsverkehr-%C3%9C/_apis/git/repositories/web",
	  NULL },
	{ "https://dev.azure.com/contoso/Zahlungsverkehr-%c3%9c/_git/web", TR, CH, NULL,
	  AZURE_HTTPS, false, "dev.azure.com", 0, NULL,
	  "contoso", NULL, "Zahlungsverkehr-Ü", "web",
	  "https://dev.azure.com/contoso/Zahlungsverkehr-%c3%9c/_git/web",
	  "https://dev.azure.com/contoso/Zahlungsverkehr-%C3%9C/_git/web/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Zahlungsverkehr-%C3%9C/_apis/git/repositories/web",
	  NULL },
	{ "https://dev.azure.com/contoso/%E6%94%AF%E6%89%95%E3%81%84", TP, CH, "ウェブ",
	  AZURE_HTTPS, false, "dev.azure.com", 0, NULL,
	  "contoso", NULL, "支払い", NULL,
	  "https://dev.azure.com/contoso/%E6%94%AF%E6%89%95%E3%81%84/_git/%E3%82%A6%E3%82%A7%E3%83%96",
	  "https://dev.azure.com/contoso/%E6%94%AF%E6%89%95%E3%81%84/_git/%E3%82%A6%E3%82%A7%E3%83%96/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/%E6%94%AF%E6%89%95%E3%81%84/_apis/git/repositories/%E3%82%A6%E3%82%A7%E3%83%96",
	  NULL },
	{ "https://dev.azure.com/contoso/Rocket🚀/_git/🚀", TR, CH, NULL,
	  AZURE_HTTPS, false, "dev.azure.com", 0, NULL,
	  "contoso", NULL, "Rocket🚀", "🚀",
	  "https://dev.azure.com/contoso/Rocket🚀/_git/🚀",
	  "https://dev.azure.com/contoso/Rocket%F0%9F%9A%80/_git/%F0%9F%9A%80/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Rocket%F0%9F%9A%80/_apis/git/repositories/%F0%9F%9A%80",
	  NULL },
	{ "git@ssh.dev.azure.com:v3/contoso/Платежи", TP, CS, "веб",
	  AZURE_SSH, false, "ssh.dev.azure.com", 0, "git",
	  "contoso", NULL, "Платежи", NULL,
	  "git@ssh.dev.azure.com:v3/contoso/Платежи/%D0%B2%D0%B5%D0%B1",
	  NULL,
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/%D0%9F%D0%BB%D0%B0%D1%82%D0%B5%D0%B6%D0%B8/_apis/git/repositories/%D0%B2%D0%B5%D0%B1",
	  "v3/contoso/%D0%9F%D0%BB%D0%B0%D1%82%D0%B5%D0%B6%D0%B8/%D0%B2%D0%B5%D0%B1" },
	{ "https://dev.azure.com/contoso/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/_git/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", TR, CH, NULL,
	  AZURE_HTTPS, false, "dev.azure.com", 0, NULL,
	  "contoso", NULL, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
	  "https://dev.azure.com/contoso/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/_git/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
	  "https://dev.azure.com/contoso/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/_git/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/_apis/git/repositories/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
	  NULL },
	{ "https://dev.azure.com/contoso/Payments", TP, CH, "Zahlungs-Ü",
	  AZURE_HTTPS, false, "dev.azure.com", 0, NULL,
	  "contoso", NULL, "Payments", NULL,
	  "https://dev.azure.com/contoso/Payments/_git/Zahlungs-%C3%9C",
	  "https://dev.azure.com/contoso/Payments/_git/Zahlungs-%C3%9C/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/Zahlungs-%C3%9C",
	  NULL },
	{ "https://dev.azure.com/contoso/Payments", TP, CH, "web(v2)!",
	  AZURE_HTTPS, false, "dev.azure.com", 0, NULL,
	  "contoso", NULL, "Payments", NULL,
	  "https://dev.azure.com/contoso/Payments/_git/web(v2)!",
	  "https://dev.azure.com/contoso/Payments/_git/web(v2)!/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web(v2)!",
	  NULL },
	{ "https://dev.azure.com/Contoso-2/payments-3/_git/a.b", TR, CH, NULL,
	  AZURE_HTTPS, false, "dev.azure.com", 0, NULL,
	  "Contoso-2", NULL, "payments-3", "a.b",
	  "https://dev.azure.com/Contoso-2/payments-3/_git/a.b",
	  "https://dev.azure.com/Contoso-2/payments-3/_git/a.b/info/refs?service=git-upload-pack",
	  "https://dev.azure.com/Contoso-2",
	  "https://dev.azure.com/Contoso-2/payments-3/_apis/git/repositories/a.b",
	  NULL },
	{ "ssh://git@ssh.dev.azure.com/v3/contoso/Payments%20Platform", TP, CS, "my repo",
	  AZURE_SSH, false, "ssh.dev.azure.com", 0, "git",
	  "contoso", NULL, "Payments Platform", NULL,
	  "ssh://git@ssh.dev.azure.com/v3/contoso/Payments%20Platform/my%20repo",
	  NULL,
	  "https://dev.azure.com/contoso",
	  "https://dev.azure.com/contoso/Payments%20Platform/_apis/git/repositories/my%20repo",
	  "/v3/contoso/Payments%20Platform/my%20repo" },
};

struct bad {
	const char *url;
	enum az_url_type type;
	enum az_connection conn;
	bool allow_http;
	const char *want; /* a substring of the message */
};

#define B65 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static const struct bad bad[] = {
	{ "", TP, CH, false, "enter the URL, e.g. https://dev.azure.com/contoso/Payments" },
	{ NULL, TP, CH, false, "enter the URL" },
	{ "https://dev.azure.com/contoso/Payments/_git/web", TP, CH, false,
	  "remove '/_git/web': a Project URL ends at the project ('https://dev.azure.com/contoso/Payments'); or choose URL type Repository" },
	{ "https://contoso@dev.azure.com/contoso/Payments/_git/web/", TP, CH, false,
	  "remove '/_git/web': a Project URL ends at the project ('https://contoso@dev.azure.com/contoso/Payments'); or choose URL type Repository" },
	{ "https://dev.azure.com/contoso/_git/Payments", TP, CH, false,
	  "remove '_git/': a Project URL ends at the project ('https://dev.azure.com/contoso/Payments'); or choose URL type Repository" },
	{ "git@ssh.dev.azure.com:v3/contoso/Payments/web", TP, CS, false,
	  "remove '/web': a Project URL ends at the project ('git@ssh.dev.azure.com:v3/contoso/Payments'); or choose URL type Repository" },
	{ "https://dev.azure.com/contoso/Payments", TR, CH, false,
	  "add the repository: 'https://dev.azure.com/contoso/Payments/_git/<repo>' (or choose URL type Project)" },
	{ "git@ssh.dev.azure.com:v3/contoso/Payments", TR, CS, false,
	  "add the repository: 'git@ssh.dev.azure.com:v3/contoso/Payments/<repo>'" },
	{ "https://dev.azure.com/contoso", TP, CH, false,
	  "add the project: 'https://dev.azure.com/contoso/<project>'" },
	{ "https://dev.azure.com/contoso/", TR, CH, false,
	  "add the project and repository: 'https://dev.azure.com/contoso/<project>/_git/<repo>'" },
	{ "ssh://git@ssh.dev.azure.com/v3/contoso", TP, CS, false,
	  "add the project: 'ssh://git@ssh.dev.azure.com/v3/contoso/<project>'" },
	{ "ssh://git@ssh.dev.azure.com/v3/contoso", TR, CS, false,
	  "add the project and repository: 'ssh://git@ssh.dev.azure.com/v3/contoso/<project>/<repo>'" },
	{ "git@ssh.dev.azure.com:v3", TP, CS, false, "add the organization and project after 'v3/'" },
	{ "https://dev.azure.com/", TP, CH, false,
	  "add the organization and project: 'https://dev.azure.com/<org>/<project>'" },
	{ "https://contoso.visualstudio.com/DefaultCollection", TP, CH, false,
	  "add the project: 'https://contoso.visualstudio.com/DefaultCollection/<project>'" },
	{ "https://tfs.example.com/tfs", TP, CH, false,
	  "add the collection and project: 'https://tfs.example.com/tfs/<collection>/<project>'" },
	{ "https://tfs.example.com/", TP, CH, false,
	  "add the collection and project: 'https://tfs.example.com/<collection>/<project>'" },
	{ "https://dev.azure.com/contoso/Payments Platform", TP, CH, false,
	  "the URL has a raw space: use 'https://dev.azure.com/contoso/Payments%20Platform'" },
	/* A URL pasted onto the one there (with spaces between, or none): no URL joins them. */
	{ "https://dev.azure.com/contoso/Payments/_git/api  https://dev.azure.com/contoso/Payments/_git/web", TR, CH,
	  false, "there are two URLs here (one pasted onto another?): keep one (in the wizard, Ctrl-U clears the field)" },
	{ "ssh://git@ssh.dev.azure.com/v3/contoso/Payments/apihttps://dev.azure.com/contoso/Payments/_git/web", TR, CS,
	  false, "there are two URLs here" },
	{ "https://dev.azure.com/contoso/My Project/_git/my repo", TR, CH, false,
	  "use 'https://dev.azure.com/contoso/My%20Project/_git/my%20repo'" },
	/* Two problems: the space's fix is given with the next one to make. */
	{ "https://dev.azure.com/contoso/My Project/_git/web.git", TR, CH, false,
	  "use 'https://dev.azure.com/contoso/My%20Project/_git/web.git', and then remove the '.git' suffix" },
	{ "https://dev.azure.com/contoso/My Project/_git/web", TP, CH, false,
	  "'https://dev.azure.com/contoso/My%20Project/_git/web', and then remove '/_git/web'" },
	/* The Clone button's command pasted whole: its URL named (never one with a password in it). */
	{ "git clone https://dev.azure.com/contoso/Payments/_git/web", TR, CH, false,
	  "that is a 'git clone' command: give only its URL, 'https://dev.azure.com/contoso/Payments/_git/web'" },
	{ " git clone --depth 1 git@ssh.dev.azure.com:v3/contoso/Payments/web web ", TR, CS, false,
	  "that is a 'git clone' command: give only its URL, 'git@ssh.dev.azure.com:v3/contoso/Payments/web'" },
	{ "git clone --reference=https://dev.azure.com/contoso/Payments/_git/m https://dev.azure.com/contoso/Payments/_git/web",
	  TR, CH, false, /* not the URL an option is given */
	  "that is a 'git clone' command: give only its URL, 'https://dev.azure.com/contoso/Payments/_git/web'" },
	{ "git clone https://me:pat@dev.azure.com/contoso/Payments/_git/web", TR, CH, false,
	  "that is a 'git clone' command: give only the URL in it" },
	{ "git clone", TR, CH, false, "that is a 'git clone' command: give only the URL in it" },
	{ " https://dev.azure.com/contoso/Payments", TP, CH, false,
	  "remove the spaces before and after the URL: 'https://dev.azure.com/contoso/Payments'" },
	{ "https://dev.azure.com/contoso/Payments ", TP, CH, false,
	  "remove the spaces before and after the URL: 'https://dev.azure.com/contoso/Payments'" },
	{ "  https://me:pat@dev.azure.com/contoso/Payments ", TP, CH, false,
	  "remove the spaces before and after the URL, and then do not put a password or token in the URL" },
	/* Spaces around it and more wrong: each fix in turn, the URL quoted last one the field takes. */
	{ " https://dev.azure.com/contoso/My Payments/_git/web ", TP, CH, false,
	  "remove the spaces before and after the URL, and then the URL has a raw space: use "
	  "'https://dev.azure.com/contoso/My%20Payments/_git/web', and then remove '/_git/web': a Project URL ends "
	  "at the project ('https://dev.azure.com/contoso/My%20Payments'); or choose URL type Repository" },
	{ "https://dev.azure.com/contoso/Payments/_git/web.git?x=1 ", TP, CH, false,
	  "remove the spaces before and after the URL, and then remove '?x=1'" },
	/* Copied with its quotes or brackets (a chat, a document): the URL inside, never with a password. */
	{ "'https://dev.azure.com/contoso/Payments/_git/web'", TR, CH, false,
	  "remove the quotes around the URL: 'https://dev.azure.com/contoso/Payments/_git/web'" },
	{ "<git@ssh.dev.azure.com:v3/contoso/Payments/web>", TR, CS, false,
	  "remove the '<' and '>' around the URL: 'git@ssh.dev.azure.com:v3/contoso/Payments/web'" },
	{ "\u201chttps://dev.azure.com/contoso/Payments\u201d", TP, CH, false,
	  "remove the quotes around the URL: 'https://dev.azure.com/contoso/Payments'" },
	{ "`https://dev.azure.com/contoso/Payments/_git/web.git`", TR, CH, false,
	  "remove the backquotes around the URL, and then remove the '.git' suffix" },
	{ "\"https://me:pat@dev.azure.com/contoso/Payments\"", TP, CH, false,
	  "do not put a password or token in the URL: remove ':...' from 'me:...@'" },
	{ " 'https://dev.azure.com/contoso/Payments' ", TP, CH, false,
	  "remove the spaces before and after the URL, and then remove the quotes around the URL: "
	  "'https://dev.azure.com/contoso/Payments'" },
	/* A Services host mistyped: the URL with the host meant (no server is named so). */
	{ "https://dev.azrue.com/contoso/Payments/_git/web", TR, CH, false,
	  "the host 'dev.azrue.com' is mistyped: Azure DevOps's is 'dev.azure.com' "
	  "('https://dev.azure.com/contoso/Payments/_git/web')" },
	{ "git@ssh.dev.azure.co:v3/contoso/Payments/web", TR, CS, false,
	  "the host 'ssh.dev.azure.co' is mistyped: Azure DevOps's is 'ssh.dev.azure.com' "
	  "('git@ssh.dev.azure.com:v3/contoso/Payments/web')" },
	/* The URL meant, and what else is wrong with it. */
	{ "https://dev.azrue.com/contoso/Payments/_git/web", TR, CS, false,
	  "is 'dev.azure.com', and then this is an HTTPS URL but the connection type is SSH" },
	{ "https://contoso.visualstudio.con/Payments/_git/web", TR, CH, false,
	  "('https://contoso.visualstudio.com/Payments/_git/web')" },
	{ "https://dev.azure.com/", TR, CH, false,
	  "add the organization, project and repository: 'https://dev.azure.com/<org>/<project>/_git/<repo>'" },
	{ "https://dev.azure.com/", TP, CH, false, "add the organization and project: 'https://dev.azure.com/<org>/<project>'" },
	/* vs-ssh's old form without its collection: the same repository on ssh.dev.azure.com. */
	{ "ssh://contoso@vs-ssh.visualstudio.com:22/Payments/_ssh/web", TR, CS, false,
	  "use the same repository on ssh.dev.azure.com, 'git@ssh.dev.azure.com:v3/contoso/Payments/web'" },
	{ "ssh://contoso@vs-ssh.visualstudio.com:22/Payments/_ssh/web", TP, CS, false,
	  "use the same project on ssh.dev.azure.com, 'git@ssh.dev.azure.com:v3/contoso/Payments'" },
	{ "ssh://contoso@vs-ssh.visualstudio.com/Payments/_ssh/web.git", TR, CS, false,
	  "use the same repository on ssh.dev.azure.com, and then remove the '.git' suffix" },
	{ "https://dev.azure.com/contoso/Payments\t", TP, CH, false, "control character" },
	{ "https://dev.azure.com/contoso/\nPayments", TP, CH, false, "control character" },
	{ "https://dev.azure.com/contoso/\xff", TP, CH, false, "the URL is not valid UTF-8" },
	{ "https://dev.azure.com/contoso/Payments/_git/web.git", TR, CH, false,
	  "remove the '.git' suffix: Azure reads it as part of the repository name ('https://dev.azure.com/contoso/Payments/_git/web')" },
	{ "https://dev.azure.com/contoso/Payments/_git/web.GIT/", TR, CH, false, "remove the '.git' suffix" },
	/* ".git" alone is no suffix (no name before it): a name that starts with '.'. */
	{ "https://dev.azure.com/contoso/Payments/_git/.git", TR, CH, false,
	  "remove the leading '.' from the repository name '.git'" },
	/* A Project URL loses the repository part whole, its '.git' with it: one fix, not two. */
	{ "https://dev.azure.com/contoso/Payments/_git/web.git", TP, CH, false,
	  "remove '/_git/web.git': a Project URL ends at the project ('https://dev.azure.com/contoso/Payments'); or choose URL type Repository" },
	{ "git@ssh.dev.azure.com:v3/contoso/Payments/web.git", TP, CS, false,
	  "remove '/web.git': a Project URL ends at the project ('git@ssh.dev.azure.com:v3/contoso/Payments'); or choose URL type Repository" },
	{ "https://dev.azure.com/contoso/My Project/_git/web.git", TP, CH, false,
	  "'https://dev.azure.com/contoso/My%20Project/_git/web.git', and then remove '/_git/web.git': "
	  "a Project URL ends at the project ('https://dev.azure.com/contoso/My%20Project'); or choose URL type Repository" },
	/* Elsewhere the suffix is said first: the shorthand's name is its project's, and a project. */
	{ "https://dev.azure.com/contoso/_git/Payments.git", TP, CH, false,
	  "remove the '.git' suffix: Azure reads it as part of the repository name ('https://dev.azure.com/contoso/_git/Payments')" },
	{ "https://dev.azure.com/contoso/Payments.git", TR, CH, false,
	  "remove the '.git' suffix: Azure reads it as part of the repository name ('https://dev.azure.com/contoso/Payments')" },
	{ "git@ssh.dev.azure.com:v3/contoso/Payments/web.git", TR, CS, false,
	  "remove the '.git' suffix: Azure reads it as part of the repository name ('git@ssh.dev.azure.com:v3/contoso/Payments/web')" },
	{ "http://tfs.example.com/tfs/Coll/Payments", TP, CH, false,
	  "plain http:// sends the token unencrypted: use 'https://tfs.example.com/tfs/Coll/Payments' (for a lab "
	  "server: turn on 'Allow plain http://' (--allow-http true))" },
	/* The https:// URL, and what else is wrong with it: the URL quoted last is the one to use. */
	{ "http://tfs.example.com/tfs/Coll/Payments", TR, CH, false,
	  "plain http:// sends the token unencrypted: use 'https://tfs.example.com/tfs/Coll/Payments' (for a lab "
	  "server: turn on 'Allow plain http://' (--allow-http true)), and then add the repository: "
	  "'https://tfs.example.com/tfs/Coll/Payments/_git/<repo>' (or choose URL type Project)" },
	{ "http://tfs.example.com/tfs/Coll/Payments/_git/web.git", TR, CH, false,
	  "remove the '.git' suffix: Azure reads it as part of the repository name "
	  "('http://tfs.example.com/tfs/Coll/Payments/_git/web'), and then plain http:// sends the token "
	  "unencrypted: use 'https://tfs.example.com/tfs/Coll/Payments/_git/web'" },
	{ "http://dev.azure.com/contoso/Payments", TP, CH, true,
	  "Azure DevOps Services needs https://: use 'https://dev.azure.com/contoso/Payments'" },
	{ "http://contoso.visualstudio.com/Payments", TP, CH, true,
	  "use 'https://contoso.visualstudio.com/Payments'" },
	/* Harness's URL check takes the scheme in lower case only; its dev.azure.com, the host. */
	{ "HTTP://contoso.visualstudio.com/Payments", TP, CH, true,
	  "write the scheme in lower case, as Harness takes it: 'http://contoso.visualstudio.com/Payments'" },
	{ "HTTPS://DEV.Azure.com/contoso/Payments/_GIT/web", TR, CH, false,
	  "write the scheme and host in lower case, as Harness takes it: "
	  "'https://dev.azure.com/contoso/Payments/_GIT/web'" },
	{ "https://Contoso@Dev.Azure.com:443/Contoso/Payments", TP, CH, false,
	  "write the host in lower case, as Harness takes it: 'https://Contoso@dev.azure.com:443/Contoso/Payments'" },
	{ "Git@SSH.dev.azure.com:v3/Contoso/Payments", TP, CS, false,
	  "write the host in lower case, as Harness takes it: 'Git@ssh.dev.azure.com:v3/Contoso/Payments', and then "
	  "the SSH user for ssh.dev.azure.com is 'git': use 'git@ssh.dev.azure.com:v3/Contoso/Payments'" },
	{ "https://Dev.Azure.com/contoso/Payments/_git/web", TP, CH, false,
	  "write the host in lower case, as Harness takes it: 'https://dev.azure.com/contoso/Payments/_git/web', and "
	  "then remove '/_git/web': a Project URL ends at the project ('https://dev.azure.com/contoso/Payments'); or choose URL type Repository" },
	{ "SSH://git@ssh.dev.azure.com/v3/contoso/Payments", TP, CS, false,
	  "write the scheme in lower case, as Harness takes it: 'ssh://git@ssh.dev.azure.com/v3/contoso/Payments'" },
	{ "https://dev.azure.com/contoso/Payments/_versionControl?path=$/Payments", TP, CH, false,
	  "TFVC paths ($/...) are not Git repositories" },
	{ "$/Payments/Main", TP, CH, false, "TFVC paths ($/...) are not Git repositories" },
	/* Other forges, and the ssh:// form written with the scp form's ':'. */
	{ "https://github.com/contoso/payments-api", TR, CH, false,
	  "github.com is GitHub, not Azure DevOps: this tool sets up Azure Repos connectors (Harness has a "
	  "GitHub connector for that host)" },
	{ "git@github.com:contoso/x.git", TR, CS, false, "github.com is GitHub, not Azure DevOps" },
	{ "https://gitlab.com/contoso/x", TR, CH, false, "gitlab.com is GitLab" },
	/* Microsoft's web pages, taken for the URL at 2 a.m.: where the URL is instead. */
	{ "https://aex.dev.azure.com/me", TP, CH, false,
	  "aex.dev.azure.com is Azure DevOps's page of your profile and organizations, not a Git server: use your "
	  "project's URL on dev.azure.com, https://dev.azure.com/<org>/<project> (a repository's: .../_git/<repo>)" },
	{ "https://Portal.Azure.com/contoso", TR, CH, false, "portal.azure.com is the Azure portal, not a Git server" },
	{ "https://learn.microsoft.com/azure/devops/repos/git/clone", TR, CH, false,
	  "learn.microsoft.com is Microsoft's documentation" },
	{ "ssh://git@ssh.dev.azure.com:v3/contoso/Payments/web", TR, CS, false,
	  "in an ssh:// URL a '/' follows the host, not ':': write 'ssh://git@ssh.dev.azure.com/v3/...', "
	  "or without ssh:// 'git@ssh.dev.azure.com:v3/...'" },
	{ "https://tfs.example.com/tfs/Coll/%24/Payments/Main", TP, CH, false, "TFVC paths" },
	{ "git@ssh.dev.azure.com:v3/contoso/Payments/web", TR, CH, false,
	  "this is an SSH URL but the connection type is HTTP: choose SSH (--connection ssh), or use the HTTPS URL 'https://dev.azure.com/contoso/Payments/_git/web'" },
	{ "git@ssh.dev.azure.com:v3/contoso/Payments", TP, CH, false,
	  "use the HTTPS URL 'https://dev.azure.com/contoso/Payments'" },
	{ "https://dev.azure.com/contoso/Payments/_git/web", TR, CS, false,
	  "this is an HTTPS URL but the connection type is SSH: choose HTTP (--connection http), or use the SSH URL 'git@ssh.dev.azure.com:v3/contoso/Payments/web'" },
	{ "https://dev.azure.com/contoso/Payments%20Platform", TP, CS, false,
	  "use the SSH URL 'git@ssh.dev.azure.com:v3/contoso/Payments%20Platform'" },
	/* The other transport's URL has the same faults: said, the URL quoted last one to take (F5). */
	{ "https://dev.azure.com/contoso/Payments/_git/web", TP, CS, false,
	  "or use the SSH URL 'git@ssh.dev.azure.com:v3/contoso/Payments/web', and then remove '/web': a Project "
	  "URL ends at the project ('git@ssh.dev.azure.com:v3/contoso/Payments'); or choose URL type Repository" },
	{ "https://tfs.example.com/tfs/Coll/Payments/_git/web", TR, CS, false,
	  "choose HTTP (--connection http), or use the SSH URL of the repository" },
	{ "https://tfs.example.com/tfs/Coll/Payments", TP, CS, false,
	  "choose HTTP (--connection http), or use the SSH URL of the project" },
	{ "ssh://tfs.example.com:22/tfs/Coll/Payments/_git/web", TR, CH, false,
	  "this is an SSH URL but the connection type is HTTP" },
	{ "https://dev.azure.com/contoso/Payments/_git/web?path=/README.md", TR, CH, false,
	  "remove '?path=/README.md': use the URL without a query or fragment ('https://dev.azure.com/contoso/Payments/_git/web')" },
	{ "https://dev.azure.com/contoso/Payments/_git/web#readme", TR, CH, false, "remove '#readme'" },
	/* A browser's address of a pull request: the URL quoted last is one the field takes (F5). */
	{ "https://dev.azure.com/contoso/Payments/_git/web/pullrequest/5?_a=files", TR, CH, false,
	  "remove '?_a=files': use the URL without a query or fragment, and then remove '/pullrequest/5': "
	  "a repository URL ends at the repository name ('https://dev.azure.com/contoso/Payments/_git/web')" },
	{ "https://dev.azure.com/contoso/Payments/_git/web?path=/README.md", TR, CS, false,
	  "without a query or fragment, and then this is an HTTPS URL but the connection type is SSH: choose "
	  "HTTP (--connection http), or use the SSH URL 'git@ssh.dev.azure.com:v3/contoso/Payments/web'" },
	{ "https://ci:s3cret@dev.azure.com/contoso/Payments/_git/web", TR, CH, false,
	  "do not put a password or token in the URL: remove ':...' from 'ci:...@'" },
	{ "git:s3cret@ssh.dev.azure.com:v3/contoso/Payments/web", TR, CS, false,
	  "do not put a password or token in the URL" },
	{ "https://@dev.azure.com/contoso/Payments", TP, CH, false, "put the user name before '@', or remove the '@'" },
	/* A user name in an http(s) URL: only the organization, as Azure's clone URLs have it. */
	{ "https://ci%2Dbot@dev.azure.com/contoso/Payments/_git/web", TR, CH, false,
	  "remove the user name 'ci%2Dbot@' from the URL: only the organization may stand there (as in the "
	  "clone URLs Azure gives); the user name goes in the Username field (--username) "
	  "('https://dev.azure.com/contoso/Payments/_git/web')" },
	{ "https://contoso@dev.azure.com/fabrikam/Payments", TP, CH, false,
	  "remove the user name 'contoso@' from the URL" },
	{ "https://fabrikam@contoso.visualstudio.com/Payments", TP, CH, false,
	  "remove the user name 'fabrikam@' from the URL" },
	{ "https://ci@tfs.example.com/tfs/DefaultCollection/Payments/_git/web", TR, CH, false,
	  "remove the user name 'ci@' from the URL: the user name goes in the Username field (--username) "
	  "('https://tfs.example.com/tfs/DefaultCollection/Payments/_git/web')" },
	/* With more wrong: each fix in turn, the URL quoted last right. */
	{ "http://ci@tfs.example.com/tfs/Coll/Pay ments/_git/web", TR, CH, false,
	  "remove the user name 'ci@' from the URL: the user name goes in the Username field (--username), and "
	  "then the URL has a raw space: use 'http://tfs.example.com/tfs/Coll/Pay%20ments/_git/web', and then "
	  "plain http:// sends the token unencrypted: use 'https://tfs.example.com/tfs/Coll/Pay%20ments/_git/web'" },
	/* A token as the user name: never quoted. */
	{ "https://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnop2345@dev.azure.com/contoso/Payments", TP, CH,
	  false, "remove the token before '@' from the URL (not shown): a token goes only in its own field, "
	  "never in a URL; revoke it if it was shown or logged" },
	/* A port, then an '@' in the path: not taken for a password. */
	{ "https://tfs.example.com:8080/tfs/Coll/Pay@ments", TP, CH, false, "remove '@' from the project name" },
	{ "https://dev.azure.com/contoso/Payments/_git/", TR, CH, false, "add the repository name after '_git/'" },
	{ "https://dev.azure.com/contoso/Payments/_git/web/pullrequest/5", TR, CH, false,
	  "remove '/pullrequest/5': a repository URL ends at the repository name ('https://dev.azure.com/contoso/Payments/_git/web')" },
	{ "ssh://git@ssh.dev.azure.com/v3/contoso/Payments/web/extra", TR, CS, false, "remove '/extra'" },
	{ "https://dev.azure.com/contoso/Payments/web", TR, CH, false,
	  "insert '_git/' before the repository name: 'https://dev.azure.com/contoso/Payments/_git/web'" },
	{ "https://dev.azure.com/contoso/Payments/_boards", TP, CH, false,
	  "'_boards' is an Azure web page, not a Git repository: use 'https://dev.azure.com/contoso/Payments'" },
	{ "https://dev.azure.com/contoso/Payments/_apis/git/repositories/web", TR, CH, false,
	  "'_apis' is the REST API, not a Git repository: use 'https://dev.azure.com/contoso/Payments' or "
	  "'https://dev.azure.com/contoso/Payments/_git/<repo>'" },
	{ "git@ssh.dev.azure.com:v3/contoso/Payments/_git/web", TR, CS, false,
	  "remove '/_git': v3/ SSH URLs have none ('git@ssh.dev.azure.com:v3/contoso/Payments/web')" },
	/* A Project: the URL up to the project, not the repository's (one step, F5 takes it). */
	{ "git@ssh.dev.azure.com:v3/contoso/Payments/_git/web", TP, CS, false,
	  "remove '/_git/web': the SSH URL of a Project ends with the project ('git@ssh.dev.azure.com:v3/contoso/Payments')" },
	{ "git@ssh.dev.azure.com:contoso/Payments/web", TR, CS, false,
	  "the SSH path starts with 'v3/': use 'git@ssh.dev.azure.com:v3/contoso/Payments/web'" },
	{ "git@ssh.dev.azure.com:contoso/Payments", TP, CS, false,
	  "the SSH path starts with 'v3/': use 'git@ssh.dev.azure.com:v3/contoso/Payments'" },
	{ "ssh.dev.azure.com:v3/contoso/Payments", TP, CS, false,
	  "the SSH user for ssh.dev.azure.com is 'git': use 'git@ssh.dev.azure.com:v3/contoso/Payments'" },
	{ "ssh.dev.azure.com:contoso/Payments", TP, CS, false,
	  "the SSH user for ssh.dev.azure.com is 'git': use 'git@ssh.dev.azure.com:v3/contoso/Payments'" },
	{ "ssh://ssh.dev.azure.com/v3/contoso/Payments", TP, CS, false,
	  "the SSH user for ssh.dev.azure.com is 'git': use 'git@ssh.dev.azure.com:v3/contoso/Payments'" },
	{ "ssh://bob@ssh.dev.azure.com:22/v3/contoso/Payments/web/", TR, CS, false,
	  "the SSH user for ssh.dev.azure.com is 'git': use 'git@ssh.dev.azure.com:v3/contoso/Payments/web'" },
	{ "ssh://git@ssh.dev.azure.com/contoso/Payments/web", TR, CS, false,
	  "the SSH path starts with 'v3/': use 'git@ssh.dev.azure.com:v3/contoso/Payments/web'" },
	/* No path to make it from: the pattern. */
	{ "ssh://bob@ssh.dev.azure.com/", TR, CS, false,
	  "the SSH user for ssh.dev.azure.com is 'git': use 'git@ssh.dev.azure.com:v3/<org>/<project>/<repo>'" },
	{ "bob@ssh.dev.azure.com:v3/", TR, CS, false,
	  "the SSH user for ssh.dev.azure.com is 'git': use 'git@ssh.dev.azure.com:v3/<org>/<project>/<repo>'" },
	{ "git@ssh.dev.azure.com:22/v3/contoso/Payments/web", TR, CS, false,
	  "a port needs the ssh:// form: 'ssh://git@ssh.dev.azure.com:22/v3/contoso/Payments/web'" },
	/* A port in git's other scp forms, any user: the ssh:// URL that carries it. */
	{ "root@tfs.example.com:2222:tfs/DefaultCollection/P/_git/r", TR, CS, false,
	  "a port needs the ssh:// form: 'ssh://root@tfs.example.com:2222/tfs/DefaultCollection/P/_git/r'" },
	{ "root@tfs.example.com:22/tfs/DefaultCollection/P/_git/r", TR, CS, false,
	  "a port needs the ssh:// form: 'ssh://root@tfs.example.com:22/tfs/DefaultCollection/P/_git/r'" },
	{ "root@[10.0.0.5:2222]:tfs/DefaultCollection/P/_git/r", TR, CS, false,
	  "'[10.0.0.5:2222]' is not an [IPv6] address: a host and port are written ssh://<user>@<host>:<port>/<path>" },
	{ "ssh://git@[10.0.0.5]/tfs/DefaultCollection/P/_git/r", TR, CS, false,
	  "'[10.0.0.5]' is not an [IPv6] address: write the host without brackets ('10.0.0.5')" },
	{ "ssh.dev.azure.com:v3/contoso/Payments/web", TR, CS, false, "the SSH user for ssh.dev.azure.com is 'git'" },
	{ "bob@ssh.dev.azure.com:v3/contoso/Payments/web", TR, CS, false, "the SSH user for ssh.dev.azure.com is 'git'" },
	/* A v3/ path on the web host: that path on the SSH host, and what is then still wrong. */
	{ "git@dev.azure.com:v3/contoso/Payments/web", TR, CS, false,
	  "the SSH host is ssh.dev.azure.com, not dev.azure.com: use 'git@ssh.dev.azure.com:v3/contoso/Payments/web'" },
	{ "git@contoso.visualstudio.com:v3/contoso/Payments/web", TR, CS, false,
	  "the SSH host is ssh.dev.azure.com, not contoso.visualstudio.com: use "
	  "'git@ssh.dev.azure.com:v3/contoso/Payments/web'" },
	{ "ssh://git@dev.azure.com/v3/contoso/Payments/web", TP, CS, false,
	  "use 'git@ssh.dev.azure.com:v3/contoso/Payments/web', and then remove '/web'" },
	{ "git@dev.azure.com:contoso/Payments/web", TR, CS, false,
	  "the SSH host is ssh.dev.azure.com, not dev.azure.com: use 'git@ssh.dev.azure.com:v3/<org>/<project>/<repo>'" },
	{ "https://ssh.dev.azure.com/v3/contoso/Payments/web", TR, CH, false, "ssh.dev.azure.com is the SSH host" },
	/* The SSH form offered is the one Harness takes (vs-ssh's is refused for SSH too). */
	{ "https://vs-ssh.visualstudio.com/v3/contoso/Payments", TP, CH, false, "vs-ssh.visualstudio.com is the SSH host: "
	  "use https://dev.azure.com/<org>/... with HTTP, or git@ssh.dev.azure.com:v3/... with SSH" },
	{ "ssh://vs-ssh.visualstudio.com:22/DefaultCollection/Payments/_ssh/web", TR, CS, false,
	  "put the organization as the user" },
	{ "contoso@vs-ssh.visualstudio.com:contoso/Payments/web", TR, CS, false,
	  "the SSH path starts with 'v3/': write 'git@ssh.dev.azure.com:v3/<org>/<project>/<repo>'" },
	/* Harness saves an scp form only as git@host:path; vs-ssh's user is the organization. */
	{ "contoso@vs-ssh.visualstudio.com:v3/contoso/Payments/web", TR, CS, false,
	  "the SSH user for vs-ssh.visualstudio.com is the organization, a form Harness does not take: use the "
	  "same repository on ssh.dev.azure.com, 'git@ssh.dev.azure.com:v3/contoso/Payments/web'" },
	{ "git@vs-ssh.visualstudio.com:v3/contoso/Payments", TP, CS, false,
	  "'git@ssh.dev.azure.com:v3/contoso/Payments'" },
	{ "ssh://other@vs-ssh.visualstudio.com/v3/contoso/Payments/web", TR, CS, false,
	  "'git@ssh.dev.azure.com:v3/contoso/Payments/web'" },
	{ "contoso@vs-ssh.visualstudio.com:v3", TP, CS, false,
	  "use the same repository on ssh.dev.azure.com, and then add the organization and project after 'v3/': "
	  "'git@ssh.dev.azure.com:v3/<org>/<project>'" },
	/* ... and with HTTP chosen, what else is wrong: the HTTPS URL, the one to take. */
	{ "contoso@vs-ssh.visualstudio.com:v3/contoso/Payments/web", TR, CH, false,
	  "use the same repository on ssh.dev.azure.com, and then this is an SSH URL but the connection type is "
	  "HTTP: choose SSH (--connection ssh), or use the HTTPS URL 'https://dev.azure.com/contoso/Payments/_git/web'" },
	{ "admin@tfs.example.com:tfs/Coll/Payments/_git/web", TR, CS, false,
	  "Harness takes this form only with the user 'git': write it "
	  "'ssh://admin@tfs.example.com/tfs/Coll/Payments/_git/web'" },
	{ "https://tfs.example.com/_git/web", TP, CH, false,
	  "add the collection before '_git' (e.g. 'https://tfs.example.com/DefaultCollection/...')" },
	{ "https://tfs.example.com/tfs/_apis/Payments", TP, CH, false, "add the collection before '_apis'" },
	/* A slip at the start: the URL meant, not a fix built on the slip. */
	{ "https:/dev.azure.com/contoso/Payments/_git/web", TR, CH, false,
	  "the scheme is mistyped: write 'https://dev.azure.com/contoso/Payments/_git/web'" },
	{ "https:dev.azure.com/contoso/Payments", TP, CH, false,
	  "the scheme is mistyped: write 'https://dev.azure.com/contoso/Payments'" },
	{ "HTTPS//dev.azure.com/contoso/Payments", TP, CH, false,
	  "the scheme is mistyped: write 'https://dev.azure.com/contoso/Payments'" },
	{ "ssh:/git@ssh.dev.azure.com/v3/contoso/Payments/web", TR, CS, false,
	  "the scheme is mistyped: write 'ssh://git@ssh.dev.azure.com/v3/contoso/Payments/web'" },
	{ "git@ssh.dev.azure.com/v3/contoso/Payments/web", TR, CS, false,
	  "after the SSH host comes ':', not '/': write 'git@ssh.dev.azure.com:v3/contoso/Payments/web'" },
	{ "https:/dev.azure.com/contoso/Payments/_git/web", TP, CH, false,
	  "the scheme is mistyped: write 'https://dev.azure.com/contoso/Payments/_git/web', and then remove '/_git/web'" },
	/* An organization's page or API where the project goes: no project to fix it to. */
	{ "https://dev.azure.com/contoso/_apis/git/repositories", TR, CH, false,
	  "'_apis' is the REST API of the organization, not a project: use 'https://dev.azure.com/contoso/<project>', "
	  "or a repository's Clone URL" },
	{ "https://dev.azure.com/contoso/_settings/repositories", TP, CH, false,
	  "'_settings' is a web page of the organization, not a project: use 'https://dev.azure.com/contoso/<project>'" },
	{ "https://tfs.example.com/tfs/Coll/_apis", TP, CH, false,
	  "'_apis' is the REST API of the collection, not a project: use 'https://tfs.example.com/tfs/Coll/<project>'" },
	/* Each fix proposed is a URL the same type takes. */
	{ "git@ssh.dev.azure.com:V3/contoso/Payments/web", TR, CS, false,
	  "use 'git@ssh.dev.azure.com:v3/contoso/Payments/web'" },
	{ "git@ssh.dev.azure.com:v3/contoso/_git/web", TR, CS, false,
	  "v3/ SSH URLs have no '/_git' and name the project: write 'git@ssh.dev.azure.com:v3/contoso/web/web'" },
	{ "git@ssh.dev.azure.com:v3/contoso/_git/web", TP, CS, false, "write 'git@ssh.dev.azure.com:v3/contoso/web'" },
	{ "https://dev.azure.com/contoso/DefaultCollection/Payments/_git/web", TR, CH, false,
	  "remove 'DefaultCollection/': dev.azure.com URLs have none ('https://dev.azure.com/contoso/Payments/_git/web')" },
	{ "https://dev.azure.com/contoso/Payments/web/sub", TR, CH, false,
	  "not a repository URL: it is 'https://dev.azure.com/contoso/Payments/_git/<repo>'" },
	{ "https://dev.azure.com/contoso/Payments/web", TP, CH, false,
	  "remove '/web': a Project URL ends at the project ('https://dev.azure.com/contoso/Payments'; a repository "
	  "goes in Test repository)" },
	{ "ssh://contoso@vs-ssh.visualstudio.com:22/DefaultCollection/Payments", TP, CS, false,
	  "Harness appends '/<repo>' to an SSH project URL, but this server wants '.../_ssh/<repo>': use the "
	  "project's URL in today's form 'git@ssh.dev.azure.com:v3/contoso/Payments', or choose URL type Repository" },
	{ "ssh://contoso@vs-ssh.visualstudio.com:22/DefaultCollection/Payments/_ssh/web", TP, CS, false,
	  "wants '.../_ssh/<repo>': use the project's URL in today's form 'git@ssh.dev.azure.com:v3/contoso/Payments', or" },
	{ "ssh://tfs.example.com:22/tfs/DefaultCollection/Payments", TP, CS, false,
	  "this server wants '.../_git/<repo>': choose URL type Repository" },
	{ "dev.azure.com/contoso/Payments", TP, CH, false, "add the scheme: 'https://dev.azure.com/contoso/Payments'" },
	/* A path alone (a base URL in a variable left unset): the host is missing, not only the scheme. */
	{ "/contoso/Payments/_git/web", TR, CH, false,
	  "add the scheme and host: 'https://<host>/contoso/Payments/_git/web'" },
	{ "ftp://dev.azure.com/contoso/Payments", TP, CH, false, "not 'ftp://'" },
	{ "git://example.com/Payments", TP, CH, false, "not 'git://'" },
	{ "https://dev.azure.com/contoso//Payments", TP, CH, false, "remove the extra '/' from the path" },
	{ "https://dev.azure.com/contoso/Payments//", TP, CH, false, "remove the extra '/' from the path" },
	{ "https://dev.azure.com/contoso/Pay%zzments", TP, CH, false, "'Pay%zzments' has a bad %-escape" },
	{ "https://dev.azure.com/contoso/Pay%2", TP, CH, false, "'Pay%2' has a bad %-escape" },
	{ "https://dev.azure.com/con%00toso/Payments", TP, CH, false, "'con%00toso' has a bad %-escape" },
	{ "https://dev.azure.com/contoso/Pay%FFments", TP, CH, false, "is not valid UTF-8 once decoded" },
	{ "https://dev.azure.com/contoso/Payments/_git/web/../x", TR, CH, false, "remove '/..' from the path" },
	{ "https://dev.azure.com/contoso/_Payments", TP, CH, false,
	  "remove the leading '_' from the project name '_Payments'" },
	{ "https://dev.azure.com/contoso/Payments/_git/.web", TR, CH, false,
	  "remove the leading '.' from the repository name '.web'" },
	{ "https://dev.azure.com/contoso/Payments./_git/web", TR, CH, false,
	  "remove the trailing '.' from the project name 'Payments.'" },
	{ "https://dev.azure.com/contoso/CON", TP, CH, false,
	  "'CON' is a reserved name in Azure DevOps: choose another project name" },
	{ "https://dev.azure.com/contoso/DefaultCollection", TP, CH, false, "'DefaultCollection' is a reserved name" },
	{ "https://dev.azure.com/contoso/Web", TP, CH, false, "'Web' is a reserved name" },
	{ "https://dev.azure.com/contoso/Payments/_git/lpt1", TR, CH, false,
	  "'lpt1' is a reserved name in Azure DevOps: choose another repository name" },
	{ "https://dev.azure.com/contoso/Pay%23ments", TP, CH, false, "remove '#' from the project name" },
	{ "https://dev.azure.com/contoso/Payments/_git/web%2Fapi", TR, CH, false, "remove '/' from the repository name" },
	{ "https://dev.azure.com/contoso/Payments/_git/a%7Eb", TR, CH, false, "remove '~' from the repository name" },
	{ "https://dev.azure.com/contoso/" B65, TP, CH, false,
	  "shorten the project name: it is 65 characters long, Azure allows at most 64" },
	{ "https://dev.azure.com/contoso/Payments/_git/" B65, TR, CH, false, "shorten the repository name: it is 65" },
	{ "https://dev.azure.com/con_toso/Payments", TP, CH, false,
	  "the organization name 'con_toso' can only contain letters, digits and '-'" },
	{ "https://dev.azure.com/-contoso/Payments", TP, CH, false, "the organization name '-contoso'" },
	{ "https://dev.azure.com/contoso-/Payments", TP, CH, false, "the organization name 'contoso-'" },
	{ "https://dev.azure.com:99999/contoso/Payments", TP, CH, false, "the port '99999' is not a number from 1 to 65535" },
	{ "https://dev.azure.com:/contoso/Payments", TP, CH, false, "the port '' is not a number" },
	{ "https://dev.azure.com:8x/contoso/Payments", TP, CH, false, "the port '8x' is not a number" },
	{ "https://dev_azure.com/contoso/Payments", TP, CH, false, "'dev_azure.com' is not a host name" },
	{ "git@ssh.dev.azure.com.:v3/contoso/Payments/web", TR, CS, false,
	  "the host 'ssh.dev.azure.com.' ends with a dot: remove it ('ssh.dev.azure.com')" },
	{ "https://dev.azure.com.:443/contoso/Payments", TP, CH, false, "the host 'dev.azure.com.' ends with a dot" },
	{ "https://[::1/org/proj", TP, CH, false, "is not a host name or [IPv6] address" },
	{ "git@[::1]v3/org/proj", TP, CS, false, "add ':' after the SSH host" },
	{ "https://app.vssps.visualstudio.com/contoso/Payments", TP, CH, false,
	  "app.vssps.visualstudio.com is not a repository host" },
	{ "https://dev.azure.com/contoso/Payments/_git/web/_git/x", TR, CH, false, "remove '/_git/x'" },
	{ "https://dev.azure.com/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q", TR, CH, false, "the URL path is too long" },
};

static void expect_str(const char *url, const char *what, const char *got, const char *want)
{
	if (!want && !got)
		return;
	if (!want || !got || strcmp(got, want) != 0)
		fail_msg("%s: %s is '%s', want '%s'", url, what, got ? got : "(null)",
		         want ? want : "(null)");
}

/* Parse again what was derived: the same repository comes back. */
static void expect_reparse(const struct good *g, const char *url)
{
	struct azure_url u;
	char msg[256];
	const char *repo = g->repo ? g->repo : g->test_repo;

	if (azure_url_parse(url, &u, msg, sizeof(msg)) != 0)
		fail_msg("%s: derived '%s' does not parse: %s", g->url, url, msg);
	expect_str(url, "org", u.org, g->org);
	expect_str(url, "project", u.project, g->project);
	expect_str(url, "repo", u.repo, repo);
	if (!azure_url_check(url, AZ_URL_REPO, g->conn, false, msg, sizeof(msg)))
		fail_msg("%s: derived '%s' is refused: %s", g->url, url, msg);
	azure_url_free(&u);
}

static void test_good_urls(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const struct good *g = &good[i];
		struct azure_url u;
		char msg[256] = "";
		char *s;

		if (!azure_url_check(g->url, g->type, g->conn, false, msg, sizeof(msg)))
			fail_msg("%s: refused: %s", g->url, msg);
		assert_int_equal(azure_url_parse(g->url, &u, msg, sizeof(msg)), 0);
		if (u.transport != g->transport || u.server != g->server || u.port != g->port)
			fail_msg("%s: transport %d server %d port %d", g->url, u.transport, u.server,
			         u.port);
		expect_str(g->url, "host", u.host, g->host);
		expect_str(g->url, "user", u.user, g->user);
		expect_str(g->url, "org", u.org, g->org);
		expect_str(g->url, "collection", u.collection, g->collection);
		expect_str(g->url, "project", u.project, g->project);
		expect_str(g->url, "repo", u.repo, g->repo);
		s = azure_url_repo_url(&u, g->test_repo);
		expect_str(g->url, "repo URL", s, g->repo_url);
		expect_reparse(g, s);
		free(s);
		s = azure_url_probe_url(&u, g->test_repo);
		expect_str(g->url, "probe URL", s, g->probe);
		if (s) {
			/* The canonical form is a valid repository URL too. */
			*strstr(s, "/info/refs?") = '\0';
			expect_reparse(g, s);
		}
		free(s);
		s = azure_url_rest_base(&u);
		expect_str(g->url, "REST base", s, g->rest_base);
		free(s);
		s = azure_url_rest_repo(&u, g->test_repo);
		expect_str(g->url, "REST repo", s, g->rest_repo);
		free(s);
		s = azure_url_ssh_path(&u, g->test_repo);
		expect_str(g->url, "SSH path", s, g->ssh_path);
		free(s);
		azure_url_free(&u);
	}
}

static void test_bad_urls(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct bad *b = &bad[i];
		struct azure_url u;
		char msg[512] = "";
		char small[12];

		if (azure_url_check(b->url, b->type, b->conn, b->allow_http, msg, sizeof(msg)))
			fail_msg("%s: accepted", b->url);
		if (!strstr(msg, b->want))
			fail_msg("%s: message '%s', want '%s'", b->url, msg, b->want);
		if (strchr(msg, '\n'))
			fail_msg("%s: message has more than one line", b->url);
		/* Short buffers are cut, never overrun; no buffer at all is fine. */
		assert_false(azure_url_check(b->url, b->type, b->conn, b->allow_http, small,
		                             sizeof(small)));
		assert_true(strlen(small) < sizeof(small));
		assert_false(azure_url_check(b->url, b->type, b->conn, b->allow_http, NULL, 0));
		/* A failed parse leaves nothing to free. */
		if (azure_url_parse(b->url, &u, msg, sizeof(msg)) != 0)
			assert_null(u.host);
		else
			azure_url_free(&u);
	}
}

/*
 * A password in user-info is refused before any check that quotes the URL,
 * and never repeated: each password here is s3cr3t, or s3c and r3t around a
 * character that ends a part of the URL (some of them once quoted one half).
 */
/*
 * A host that is not Azure DevOps, in a URL that has another slip too (a query, quotes, a user,
 * spaces, a mistyped scheme): the host is all that is said; fixing the rest would not help.
 */
static void test_foreign_host_alone(void **state)
{
	static const struct {
		const char *url;
		const char *want; /* the whole message starts so */
	} cases[] = {
		{ "https://portal.azure.com/#@contoso.onmicrosoft.com/resource/subscriptions/x/overview",
		  "portal.azure.com is the Azure portal, not a Git server: use your project's URL on dev.azure.com" },
		{ "https://github.com/contoso/web?tab=readme-ov-file", "github.com is GitHub, not Azure DevOps" },
		{ "https://me@github.com/contoso/web", "github.com is GitHub, not Azure DevOps" },
		{ "'https://gitlab.com/contoso/web'", "gitlab.com is GitLab, not Azure DevOps" },
		{ " https://learn.microsoft.com/azure/devops/repos ", "learn.microsoft.com is Microsoft's documentation" },
		{ "https:/github.com/contoso/web", "github.com is GitHub, not Azure DevOps" },
		{ "https://github.com/contoso/my web", "github.com is GitHub, not Azure DevOps" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char msg[512] = "";

		if (azure_url_check(cases[i].url, AZ_URL_REPO, AZ_CONN_HTTP, false, msg, sizeof(msg)))
			fail_msg("%s: accepted", cases[i].url);
		if (strncmp(msg, cases[i].want, strlen(cases[i].want)) != 0 || strstr(msg, "and then"))
			fail_msg("%s: message '%s', want it to start '%s'", cases[i].url, msg, cases[i].want);
	}
}

/*
 * Fixes of fixes (quotes in quotes, in quotes...) go only as deep as their message has room:
 * a URL of 2000 quotes is refused in a 1 MiB stack, not by a stack overflow.
 */
static void test_deep_fixes_bounded(void **state)
{
	static char inputs[4][AZ_URL_MAX_LEN + 1];
	const char *url = "https://dev.azure.com/contoso/Payments/_git/web";
	size_t n = strlen(url), side = (AZ_URL_MAX_LEN - n) / 2;
	pid_t pid;
	int status;

	(void)state;
	memset(inputs[0], '"', 2000);
	for (size_t i = 0; i < 2000; i++)
		inputs[1][i] = i % 2 ? '\'' : '"';
	memset(inputs[2], '\'', side);
	memcpy(inputs[2] + side, url, n);
	memset(inputs[2] + side + n, '\'', side);
	memcpy(inputs[3], "https://", 8);
	for (size_t i = 0; i < 900; i++)
		memcpy(inputs[3] + 8 + 2 * i, "a@", 2);
	strcat(inputs[3], "dev.azure.com/contoso/Payments/_git/web");
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { 1 << 20, 1 << 20 };
		char msg[1024];

		if (setrlimit(RLIMIT_STACK, &rl) != 0)
			_exit(2);
		for (size_t i = 0; i < 4; i++)
			if (azure_url_check(inputs[i], AZ_URL_REPO, AZ_CONN_HTTP, false, msg, sizeof(msg)) || !msg[0])
				_exit(1);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("child %s %d", WIFEXITED(status) ? "exited" : "killed by signal",
		         WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}

static void test_password_not_echoed(void **state)
{
	static const char *const urls[] = {
		"https://ci:s3cr3t@dev.azure.com/contoso/Payments/_git/web",
		"https://:s3cr3t@dev.azure.com/contoso/Payments",
		"git:s3cr3t@ssh.dev.azure.com:v3/contoso/Payments/web",
		"ssh://git:s3cr3t@ssh.dev.azure.com/v3/contoso/Payments/web",
		"https://ci:s3cr3t@dev.azure.com/contoso/Pay ments",              /* the %20 form was quoted */
		"https://ci:s3cr3t@dev.azure.com/contoso/Payments/_git/web?path=/", /* so was the URL before '?' */
		"https://ci:s3cr3t@dev.azure.com/contoso/Pay ments?x=1",
		"https://ci:s3c?r3t@dev.azure.com/contoso/Payments",
		"https://ci:s3c#r3t@dev.azure.com/contoso/Payments",
		"https://ci:s3c r3t@dev.azure.com/contoso/Payments",
		"https://ci:s3c@r3t@dev.azure.com/contoso/Payments",
		"https://c@i:s3cr3t@dev.azure.com/contoso/Payments",
		"https://ci:s3c/r3t@dev.azure.com/contoso/Payments", /* 's3c' was the port */
		"git:s3c/r3t@ssh.dev.azure.com:v3/contoso/Payments/web",
		"ssh://git:s3c/r3t@tfs.example.com:22/tfs/Coll/Payments/_git/web",
		"https//ci:s3cr3t@dev.azure.com/contoso/Payments", /* 'add the scheme' quoted it all */
		"https:/ci:s3cr3t@dev.azure.com/contoso/Payments",
		"htps://ci:s3cr3t@dev.azure.com/contoso/Payments",
		"https://ci:1234@dev.azure.com/contoso/Payments", /* digits before '@' are no port */
		"https://ci:/s3cr3t@dev.azure.com/contoso/Payments", /* ':' then '/' is no empty port */
	};
	char msg[512];
	struct azure_url u;

	(void)state;
	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		/* Never kept either (a draft). */
		if (!azure_url_has_credentials(urls[i]))
			fail_msg("%s: no credentials seen", urls[i]);
		assert_int_equal(azure_url_parse(urls[i], &u, msg, sizeof(msg)), -1);
		if (!strstr(msg, "do not put a password or token in the URL") || strstr(msg, "s3c") ||
		    strstr(msg, "r3t") || strstr(msg, "1234"))
			fail_msg("%s: %s", urls[i], msg);
		for (int type = AZ_URL_PROJECT; type <= AZ_URL_REPO; type++)
			for (int conn = AZ_CONN_HTTP; conn <= AZ_CONN_SSH; conn++) {
				assert_false(azure_url_check(urls[i], type, conn, true, msg, sizeof(msg)));
				if (strstr(msg, "s3c") || strstr(msg, "r3t") || strstr(msg, "1234"))
					fail_msg("%s: %s", urls[i], msg);
			}
	}
}

/* A token put as the user name: refused, and no message of any check quotes it. */
static void test_user_token_not_echoed(void **state)
{
	static const char *const urls[] = {
		"https://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst@dev.azure.com/contoso/Payments/_git/web",
		"https://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst@dev.azure.com/contoso/Pay ments",
		"https://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst@dev.azure.com/contoso/Payments?x=1",
		" https://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst@dev.azure.com/contoso/Payments ",
		"http://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst@tfs.example.com/tfs/C/Payments",
		"https://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst@x.visualstudio.com/Payments/_git/web/",
		/* A slip at the start is fixed by quoting the URL meant: never with the token in it. */
		"ssh:/abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst@ssh.dev.azure.com/v3/contoso/Payments/web",
		"https:/abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst@dev.azure.com/contoso/Payments",
		"abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst@ssh.dev.azure.com/v3/contoso/Payments/web",
	};
	char msg[512];

	(void)state;
	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++)
		for (int type = AZ_URL_PROJECT; type <= AZ_URL_REPO; type++)
			for (int conn = AZ_CONN_HTTP; conn <= AZ_CONN_SSH; conn++) {
				assert_false(azure_url_check(urls[i], type, conn, true, msg, sizeof(msg)));
				if (strstr(msg, "abcdefghijklmnopqrstuvwxyz234567") || !msg[0])
					fail_msg("%s: %s", urls[i], msg);
			}
}

static void test_allow_http(void **state)
{
	const char *url = "http://tfs.example.com:8080/tfs/DefaultCollection/Payments/_git/web";
	struct azure_url u;
	char msg[256];
	char *s;

	(void)state;
	assert_false(azure_url_check(url, AZ_URL_REPO, AZ_CONN_HTTP, false, msg, sizeof(msg)));
	assert_true(azure_url_check(url, AZ_URL_REPO, AZ_CONN_HTTP, true, msg, sizeof(msg)));
	assert_int_equal(azure_url_parse(url, &u, msg, sizeof(msg)), 0);
	assert_int_equal(u.transport, AZURE_HTTP);
	assert_int_equal(azure_url_port(&u), 8080);
	s = azure_url_probe_url(&u, NULL);
	assert_string_equal(s, "http://tfs.example.com:8080/tfs/DefaultCollection/Payments/_git/web"
	                       "/info/refs?service=git-upload-pack");
	free(s);
	s = azure_url_rest_base(&u);
	assert_string_equal(s, "http://tfs.example.com:8080/tfs/DefaultCollection");
	free(s);
	azure_url_free(&u);
}

static void test_too_long(void **state)
{
	char url[2100] = "https://dev.azure.com/contoso/Payments/_git/";
	char msg[256];

	(void)state;
	memset(url + strlen(url), 'a', sizeof(url) - 1 - strlen(url));
	url[sizeof(url) - 1] = '\0';
	assert_false(azure_url_check(url, AZ_URL_REPO, AZ_CONN_HTTP, false, msg, sizeof(msg)));
	assert_string_equal(msg, "the URL is 2099 bytes long: Azure URLs are far shorter (at most 2048)");
	/* 2048 bytes is the most, not too many: whatever else is wrong (its name's length) is said. */
	url[2048] = '\0';
	assert_false(azure_url_check(url, AZ_URL_REPO, AZ_CONN_HTTP, false, msg, sizeof(msg)));
	assert_null(strstr(msg, "bytes long"));
	url[2048] = 'a';
	url[2049] = '\0';
	assert_false(azure_url_check(url, AZ_URL_REPO, AZ_CONN_HTTP, false, msg, sizeof(msg)));
	assert_string_equal(msg, "the URL is 2049 bytes long: Azure URLs are far shorter (at most 2048)");
}

/*
 * With API access, Harness cuts the organization and project out of the URL
 * (SSH: after the first '/'; HTTPS: between ".com/" and "/_git/"): the forms
 * it cuts wrong are refused with the same project or repository in one it
 * cuts right, which the check then takes.
 */
static void test_api_forms(void **state)
{
	static const struct {
		const char *url, *fix; /* fix NULL: taken */
	} forms[] = {
		{ "git@ssh.dev.azure.com:v3/contoso/Payments/web", NULL },
		{ "git@ssh.dev.azure.com:v3/contoso/Payments", NULL },
		{ "https://dev.azure.com/contoso/Payments/_git/web", NULL },
		{ "https://www.dev.azure.com/contoso/Payments/_git/web", NULL }, /* ".com/" and "/_git/" cut it right too */
		{ "https://contoso@dev.azure.com/contoso/Payments", NULL },
		{ "https://contoso.visualstudio.com/DefaultCollection/Payments/_git/web", NULL },
		{ "https://tfs.example.com/tfs/Coll/Payments/_git/web", NULL }, /* a server: not the Services' cuts */
		{ "ssh://git@ssh.dev.azure.com/v3/contoso/Payments/web", "git@ssh.dev.azure.com:v3/contoso/Payments/web" },
		{ "git@ssh.dev.azure.com:/v3/contoso/Payments/web", "git@ssh.dev.azure.com:v3/contoso/Payments/web" },
		{ "ssh://contoso@vs-ssh.visualstudio.com/v3/contoso/Payments", "git@ssh.dev.azure.com:v3/contoso/Payments" },
		{ "ssh://git@ssh.dev.azure.com:22/v3/contoso/My%20Project/web", "git@ssh.dev.azure.com:v3/contoso/My%20Project/web" },
		{ "https://dev.azure.com:443/contoso/Payments/_git/web", "https://dev.azure.com/contoso/Payments/_git/web" },
		{ "https://dev.azure.com/contoso/_git/Payments", "https://dev.azure.com/contoso/Payments/_git/Payments" },
		{ "https://contoso.visualstudio.com/Payments/_git/web", "https://dev.azure.com/contoso/Payments/_git/web" },
		{ "https://contoso.visualstudio.com/Payments", "https://dev.azure.com/contoso/Payments" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		char msg[512] = "", want[512];
		bool ok = azure_url_api_ok(forms[i].url, msg, sizeof(msg));

		if (ok != !forms[i].fix)
			fail_msg("%s: %s", forms[i].url, ok ? "taken" : msg);
		if (!forms[i].fix)
			continue;
		snprintf(want, sizeof(want), "with API access on, Harness reads the organization and project from "
		         "the URL, and cannot from this form: use '%s' (the same ", forms[i].fix);
		if (strncmp(msg, want, strlen(want)) != 0)
			fail_msg("%s: message '%s', want '%s'", forms[i].url, msg, want);
		if (!azure_url_api_ok(forms[i].fix, msg, sizeof(msg)))
			fail_msg("%s: its fix is refused too: %s", forms[i].url, msg);
	}
	assert_true(azure_url_api_ok("not a url", NULL, 0)); /* azure_url_check's to say */
}

/* Values that do not apply are NULL; default ports per transport. */
static void test_not_applicable(void **state)
{
	static const struct {
		const char *url;
		int port;
	} ports[] = {
		{ "http://tfs.lab/DefaultCollection/Payments/_git/web", 80 },
		{ "https://tfs.lab/DefaultCollection/Payments/_git/web", 443 },
		{ "ssh://git@tfs.lab/DefaultCollection/Payments/_git/web", 22 },
	};
	struct azure_url u;
	char msg[256];

	(void)state;
	assert_int_equal(azure_url_parse("https://dev.azure.com/contoso/Payments", &u, msg,
	                                 sizeof(msg)), 0);
	assert_null(azure_url_repo_url(&u, NULL));
	assert_null(azure_url_repo_url(&u, ""));
	assert_null(azure_url_probe_url(&u, NULL));
	assert_null(azure_url_rest_repo(&u, NULL));
	assert_null(azure_url_ssh_path(&u, "web"));
	assert_int_equal(azure_url_port(&u), 443);
	azure_url_free(&u);
	assert_int_equal(azure_url_parse("git@ssh.dev.azure.com:v3/contoso/Payments/web", &u, msg,
	                                 sizeof(msg)), 0);
	assert_null(azure_url_probe_url(&u, NULL));
	assert_int_equal(azure_url_port(&u), 22);
	azure_url_free(&u);
	azure_url_free(&u);
	azure_url_free(NULL);
	/* A server's default ports: each transport's own. */
	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		assert_int_equal(azure_url_parse(ports[i].url, &u, msg, sizeof(msg)), 0);
		assert_int_equal(u.port, 0);
		assert_int_equal(azure_url_port(&u), ports[i].port);
		azure_url_free(&u);
	}
}

struct name_case {
	const char *name;
	enum azure_name_kind kind;
	const char *want; /* NULL: valid */
};

#define N64 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define E16 "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9" \
	"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
#define R8 "\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80" \
	"\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80"

static const struct name_case names[] = {
	{ "web", AZURE_NAME_REPO, NULL },
	{ "Payments Platform", AZURE_NAME_PROJECT, NULL },
	{ "web_api-2.0 (old)!", AZURE_NAME_REPO, NULL },
	{ "Zahlungsverkehr \xc3\x9c", AZURE_NAME_PROJECT, NULL },
	{ "\xe6\x94\xaf\xe6\x89\x95\xe3\x81\x84", AZURE_NAME_PROJECT, NULL },
	{ "\xf0\x9f\x9a\x80rocket", AZURE_NAME_REPO, NULL },
	{ "web_", AZURE_NAME_REPO, NULL },
	{ "we.b", AZURE_NAME_REPO, NULL },
	{ "Web", AZURE_NAME_REPO, NULL },
	{ "COM11", AZURE_NAME_PROJECT, NULL },
	{ "CONSOLE", AZURE_NAME_PROJECT, NULL },
	{ "bins", AZURE_NAME_PROJECT, NULL },
	{ N64, AZURE_NAME_PROJECT, NULL },
	{ N64, AZURE_NAME_REPO, NULL },
	{ N64 "a", AZURE_NAME_PROJECT, "shorten the project name: it is 65 characters long, Azure allows at most 64" },
	{ N64 "a", AZURE_NAME_REPO, "shorten the repository name: it is 65 characters long" },
	{ E16 E16 E16 E16, AZURE_NAME_REPO, NULL },
	{ E16 E16 E16 E16 "\xc3\xa9", AZURE_NAME_REPO, "it is 65 characters long" },
	/* Outside the BMP a character counts two, as Azure counts UTF-16 units. */
	{ R8 R8 R8 R8, AZURE_NAME_REPO, NULL },
	{ R8 R8 R8 R8 "x", AZURE_NAME_REPO, "it is 65 characters long" },
	{ "", AZURE_NAME_REPO, "enter the repository name" },
	{ NULL, AZURE_NAME_PROJECT, "enter the project name" },
	{ "https://dev.azure.com/contoso/Payments/_git/web", AZURE_NAME_REPO,
	  "give the repository name, e.g. \"web\", not its URL" },
	{ "git@ssh.dev.azure.com:v3/contoso/Payments/api", AZURE_NAME_REPO,
	  "give the repository name, e.g. \"api\", not its URL" },
	{ "https://dev.azure.com/contoso/Payments", AZURE_NAME_REPO,
	  "give the repository name (such as web), not a URL" },
	{ "https://dev.azure.com/contoso/Payments%20Platform", AZURE_NAME_PROJECT,
	  "give the project name, e.g. \"Payments Platform\", not its URL" },
	{ "ssh://example.com/x y", AZURE_NAME_REPO, "give the repository name (such as web), not a URL" },
	{ "Payments/_git/web", AZURE_NAME_REPO, "give the repository name" },
	{ "dev.azure.com/contoso/Payments/_git/web", AZURE_NAME_REPO, "give the repository name" },
	{ "dev.azure.com/contoso/Payments", AZURE_NAME_PROJECT,
	  "give the project name (such as Payments), not a URL" }, /* no scheme, no _git/: its host says it */
	{ "contoso/web", AZURE_NAME_REPO, "remove '/' from the repository name" },
	{ "_web", AZURE_NAME_REPO, "remove the leading '_' from the repository name '_web'" },
	{ ".web", AZURE_NAME_REPO, "remove the leading '.' from the repository name '.web'" },
	{ "web.", AZURE_NAME_PROJECT, "remove the trailing '.' from the project name 'web.'" },
	{ " web", AZURE_NAME_REPO, "remove the space at the start of the repository name" },
	{ "web ", AZURE_NAME_REPO, "remove the space at the end of the repository name" },
	{ "we\tb", AZURE_NAME_REPO, "contains a control character" },
	{ "we\x1f" "b", AZURE_NAME_REPO, "contains a control character" },
	{ "we\x7f" "b", AZURE_NAME_REPO, "contains a control character" },
	{ "we\xc2\x85" "b", AZURE_NAME_REPO, "contains a control character" },
	{ "we\xc3", AZURE_NAME_REPO, "the repository name is not valid UTF-8" },
	{ "\xc0\xaf", AZURE_NAME_REPO, "not valid UTF-8" },
	{ "\xed\xa0\x80", AZURE_NAME_REPO, "not valid UTF-8" },
	{ "\xf4\x90\x80\x80", AZURE_NAME_REPO, "not valid UTF-8" },
	{ "web", AZURE_NAME_PROJECT, "'web' is a reserved name in Azure DevOps: choose another project name" },
	{ "App_Data", AZURE_NAME_PROJECT, "'App_Data' is a reserved name" },
	{ "web.config", AZURE_NAME_PROJECT, "'web.config' is a reserved name" },
	{ "bin", AZURE_NAME_PROJECT, "'bin' is a reserved name" },
	{ "signalr", AZURE_NAME_PROJECT, "'signalr' is a reserved name" },
	{ "Server", AZURE_NAME_PROJECT, "'Server' is a reserved name" },
	{ "aux", AZURE_NAME_REPO, "'aux' is a reserved name in Azure DevOps: choose another repository name" },
	{ "COM10", AZURE_NAME_REPO, "'COM10' is a reserved name" },
};

static void test_names(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct name_case *c = &names[i];
		char msg[512] = "";
		bool ok = azure_name_check(c->name, c->kind, msg, sizeof(msg));

		if (!c->want && !ok)
			fail_msg("name '%s' refused: %s", c->name, msg);
		if (c->want && (ok || !strstr(msg, c->want)))
			fail_msg("name '%s': %s, message '%s', want '%s'", c->name ? c->name : "(null)",
			         ok ? "accepted" : "refused", msg, c->want);
	}
}

/* Each character Azure forbids, at the start, inside and at the end. */
static void test_names_forbidden(void **state)
{
	static const char forbidden[] = "/:\\~&%;@'\"?<>|#$*}{,+=[]";

	(void)state;
	for (const char *f = forbidden; *f; f++) {
		for (size_t k = 0; k < 3; k++) {
			char name[16], want[32], msg[512] = "";

			/* at the start, inside, at the end of "web" */
			size_t at = k == 0 ? 0 : k == 1 ? 2 : 3;

			memcpy(name, "web", at);
			name[at] = *f;
			memcpy(name + at + 1, &"web"[at], 4 - at);
			snprintf(want, sizeof(want), "remove '%c' from the ", *f);
			for (int kind = AZURE_NAME_PROJECT; kind <= AZURE_NAME_REPO; kind++) {
				if (azure_name_check(name, (enum azure_name_kind)kind, msg, sizeof(msg)))
					fail_msg("name '%s' accepted", name);
				/* '@…:' and '…/_git/' read as URLs; all others name the character. */
				if (!strstr(msg, want) && !strstr(msg, "not its URL"))
					fail_msg("name '%s': '%s'", name, msg);
			}
		}
	}
}

/* Every reserved name, in any case; device names for repositories too. */
static void test_names_reserved(void **state)
{
	static const char *const all[] = {
		"PRN", "CON", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6",
		"COM7", "COM8", "COM9", "COM10", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6",
		"LPT7", "LPT8", "LPT9",
	};
	static const char *const project[] = {
		"SERVER", "SignalR", "DefaultCollection", "Web", "App_Browsers", "App_code",
		"App_Data", "App_GlobalResources", "App_LocalResources", "App_Themes",
		"App_WebResources", "bin", "web.config",
	};
	char msg[256], lower[32];

	(void)state;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		assert_false(azure_name_check(all[i], AZURE_NAME_PROJECT, msg, sizeof(msg)));
		assert_false(azure_name_check(all[i], AZURE_NAME_REPO, msg, sizeof(msg)));
		assert_non_null(strstr(msg, "is a reserved name"));
		for (size_t k = 0; k <= strlen(all[i]); k++)
			lower[k] = (char)tolower((unsigned char)all[i][k]);
		assert_false(azure_name_check(lower, AZURE_NAME_REPO, msg, sizeof(msg)));
	}
	for (size_t i = 0; i < sizeof(project) / sizeof(project[0]); i++) {
		assert_false(azure_name_check(project[i], AZURE_NAME_PROJECT, msg, sizeof(msg)));
		assert_non_null(strstr(msg, "is a reserved name"));
		/* Not reserved for repositories, only its other rules apply. */
		assert_true(azure_name_check(project[i], AZURE_NAME_REPO, msg, sizeof(msg)));
	}
}

static void test_encoding_round_trip(void **state)
{
	static const char *const names_rt[] = {
		"Payments Platform", "web", "a%b", "a/b?c#d", "Zahlungsverkehr \xc3\x9c",
		"\xe6\x94\xaf\xe6\x89\x95\xe3\x81\x84", "\xf0\x9f\x9a\x80", "~-._!()",
		"+&=;,@:$'\"<>[]{}|\\^`", "\x01\x7f",
	};
	static const struct { const char *raw, *enc; } pairs[] = {
		{ "Payments Platform", "Payments%20Platform" },
		{ "a+b", "a%2Bb" },
		{ "\xc3\x9c", "%C3%9C" },
		{ "web-api_2.0~(x)!", "web-api_2.0~(x)!" },
		{ "100%", "100%25" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(names_rt) / sizeof(names_rt[0]); i++) {
		char *e = azure_name_encode(names_rt[i]);
		char *d = azure_name_decode(e, strlen(e));

		assert_string_equal(d, names_rt[i]);
		assert_int_equal(strspn(e, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		                           "0123456789-._~!()%"), strlen(e));
		free(e);
		free(d);
	}
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		char *e = azure_name_encode(pairs[i].raw);
		char *d = azure_name_decode(pairs[i].enc, strlen(pairs[i].enc));

		assert_string_equal(e, pairs[i].enc);
		assert_string_equal(d, pairs[i].raw);
		free(e);
		free(d);
	}
	/* Lower-case escapes decode; bad escapes and NUL are refused. */
	char *d = azure_name_decode("%c3%9c%2f", 9);
	assert_string_equal(d, "\xc3\x9c/");
	free(d);
	assert_null(azure_name_decode("%", 1));
	assert_null(azure_name_decode("%4", 2));
	assert_null(azure_name_decode("%G0", 3));
	assert_null(azure_name_decode("a%00b", 5));
	/* Only len bytes are read. */
	d = azure_name_decode("ab%20", 2);
	assert_string_equal(d, "ab");
	free(d);
}

/*
 * Mutations of valid URLs (a fixed seed): whatever comes out, parsing never
 * crashes (run under ASan in CI), refusals carry a message, and an accepted
 * repository URL derives URLs that parse to the same repository.
 */
static void test_mutations(void **state)
{
	static const char alphabet[] = "/:@%._-~?#$ aZ09[]\xc3\x9c";
	uint32_t seed = 12345;
	size_t accepted = 0, refused = 0;

	(void)state;
	for (int n = 0; n < 40000; n++) {
		const char *base = good[n % (sizeof(good) / sizeof(good[0]))].url;
		char buf[512], msg[256];
		size_t len = strlen(base);
		struct azure_url u;

		memcpy(buf, base, len + 1);
		for (int k = 0; k < 1 + n % 3; k++) {
			size_t at;

			seed = seed * 1103515245u + 12345u;
			at = (seed >> 8) % (len + 1);
			seed = seed * 1103515245u + 12345u;
			switch ((seed >> 16) % 3) {
			case 0: /* replace */
				if (at < len)
					buf[at] = alphabet[(seed >> 4) % (sizeof(alphabet) - 1)];
				break;
			case 1: /* delete */
				if (at < len) {
					memmove(buf + at, buf + at + 1, len - at);
					len--;
				}
				break;
			default: /* insert */
				if (len + 2 < sizeof(buf)) {
					memmove(buf + at + 1, buf + at, len - at + 1);
					buf[at] = alphabet[(seed >> 4) % (sizeof(alphabet) - 1)];
					len++;
				}
			}
		}
		msg[0] = '\0';
		if (azure_url_parse(buf, &u, msg, sizeof(msg)) != 0) {
			refused++;
			if (msg[0] == '\0')
				fail_msg("'%s': refused without a message", buf);
			continue;
		}
		accepted++;
		char *repo_url = azure_url_repo_url(&u, "x");
		char *rest = azure_url_rest_base(&u);
		struct azure_url again;

		assert_non_null(repo_url);
		assert_non_null(rest);
		enum az_connection conn = u.transport == AZURE_SSH ? AZ_CONN_SSH : AZ_CONN_HTTP;
		bool must = u.repo || azure_url_check(buf, AZ_URL_PROJECT, conn, true, NULL, 0);

		if (azure_url_parse(repo_url, &again, msg, sizeof(msg)) == 0) {
			expect_str(buf, "repo again", again.repo, u.repo ? u.repo : "x");
			expect_str(buf, "project again", again.project, u.project);
			azure_url_free(&again);
		} else if (must) {
			fail_msg("'%s': derived '%s' refused: %s", buf, repo_url, msg);
		}
		free(repo_url);
		free(rest);
		azure_url_free(&u);
	}
	print_message("# mutations: %zu accepted, %zu refused\n", accepted, refused);
	assert_true(accepted > 1000);
	assert_true(refused > 1000);
}

/* The repository F5 makes the test repository: the slips its message sets aside, set aside. */
static void test_repo_named(void **state)
{
	static const struct {
		const char *url, *repo;
	} cases[] = {
		{ " https://dev.azure.com/contoso/My Payments/_git/api ", "api" },
		{ "https://dev.azure.com/contoso/Payments/_git/my%20api?path=/README.md&_a=contents", "my api" },
		{ "https://dev.azure.com/contoso/Payments/_git/web.git", "web" },
		{ "git@ssh.dev.azure.com:v3/contoso/Payments/web", "web" },
		{ "https://dev.azure.com/contoso/Payments", NULL },
		{ "https://dev.azure.com/contoso/Payments/_git/.git", NULL },
		{ "not a url", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *repo = azure_url_repo_named(cases[i].url);
		if (!cases[i].repo ? repo != NULL : !repo || strcmp(repo, cases[i].repo) != 0)
			fail_msg("%s: repository '%s', want '%s'", cases[i].url, repo ? repo : "(none)",
			         cases[i].repo ? cases[i].repo : "(none)");
		free(repo);
	}
	assert_null(azure_url_repo_named(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_urls),
		cmocka_unit_test(test_bad_urls),
		cmocka_unit_test(test_foreign_host_alone),
		cmocka_unit_test(test_deep_fixes_bounded),
		cmocka_unit_test(test_password_not_echoed),
		cmocka_unit_test(test_user_token_not_echoed),
		cmocka_unit_test(test_allow_http),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_not_applicable),
		cmocka_unit_test(test_api_forms),
		cmocka_unit_test(test_repo_named),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_names_forbidden),
		cmocka_unit_test(test_names_reserved),
		cmocka_unit_test(test_encoding_round_trip),
		cmocka_unit_test(test_mutations),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests_name("azure_url", tests, NULL, NULL);
}
