# Install tflab from the wheels beside this script, with no network (Windows).
#
#   powershell -ExecutionPolicy Bypass -File install.ps1 [-Prefix DIR] [-NoShortcut]
#
# Makes a virtual environment in DIR (default %LOCALAPPDATA%\tflab-app) from wheels\ alone
# (pip install --no-index) and shortcuts on the Desktop and in the Start menu. Run again
# with a newer wheelhouse to update in place: projects, settings and training runs live in
# the user's own folders and are kept. Silent on many computers: add -NoShortcut or not,
# the script asks nothing. -Python C:\Path\python.exe picks the Python (default: py -X.Y).
param(
    [string]$Prefix = (Join-Path $env:LOCALAPPDATA "tflab-app"),
    [switch]$NoShortcut,
    [string]$Python = ""
)
$ErrorActionPreference = "Stop"
$here = Split-Path -Parent $MyInvocation.MyCommand.Path
$wanted = (Get-Content (Join-Path $here "python-version")).Trim()

if ($Python -eq "") { $pythonExe = "py"; $pythonArgs = @("-$wanted") } else { $pythonExe = $Python; $pythonArgs = @() }
$have = & $pythonExe @pythonArgs -c "import sys; print(f'{sys.version_info.major}.{sys.version_info.minor}')" 2>$null
if ($have -ne $wanted) {
    Write-Error "These wheels are for Python $wanted (64-bit), but the Python found is '$have'. Install Python $wanted from python.org, or give -Python C:\Path\python.exe."
    exit 1
}

Write-Host "install.ps1: installing tflab into $Prefix (no network needed)"
$venvPython = Join-Path $Prefix "venv\Scripts\python.exe"
if (-not (Test-Path $venvPython)) {
    & $pythonExe @pythonArgs -m venv (Join-Path $Prefix "venv")
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}
& $venvPython -m pip install --quiet --no-index --find-links (Join-Path $here "wheels") --upgrade tflab
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

$exe = Join-Path $Prefix "venv\Scripts\tflab.exe"
if (-not $NoShortcut) {
    $shell = New-Object -ComObject WScript.Shell
    $places = @([Environment]::GetFolderPath("Desktop"), (Join-Path ([Environment]::GetFolderPath("Programs")) ""))
    foreach ($place in $places) {
        $link = $shell.CreateShortcut((Join-Path $place "tflab.lnk"))
        $link.TargetPath = $exe
        $link.WorkingDirectory = [Environment]::GetFolderPath("MyDocuments")
        $link.Description = "Learn TensorFlow and Keras offline"
        $link.Save()
    }
    Write-Host "install.ps1: start tflab from the Desktop or the Start menu"
}
Write-Host "install.ps1: done; check it with: & '$exe' --self-test"
