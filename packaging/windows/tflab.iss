; Inno Setup 6 script: tflab's Windows installer (x64), built from the PyInstaller bundle.
;
; Build the bundle first (docs/installing.md, "Windows"): build\pyinstaller\dist\tflab\tflab.exe.
; Then compile this script, from the repository root:
;     "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" packaging\windows\tflab.iss
; The installer is build\tflab-<version>-windows-x64-setup.exe. It holds everything tflab
; needs and downloads nothing: it installs the same on a computer with no network.
; Pass /DAppVersion=1.2.3 to ISCC to override the version read from tflab\__init__.py.

#define AppName "tflab"
#define AppExe "tflab.exe"
#define Root AddBackslash(SourcePath) + "..\.."
#define Bundle Root + "\build\pyinstaller\dist\tflab"

#ifndef AppVersion
  ; tflab\__init__.py has the line:  __version__ = "X.Y.Z"
  #define VersionFile FileOpen(Root + "\tflab\__init__.py")
  #define AppVersion ""
  #sub ReadVersionLine
    #define Line FileRead(VersionFile)
    #if Pos('__version__ = "', Line) == 1
      #define AppVersion Copy(Line, 16, RPos('"', Line) - 16)
    #endif
  #endsub
  #for {0; !FileEof(VersionFile) && AppVersion == ""; 0} ReadVersionLine
  #expr FileClose(VersionFile)
#endif

#if !FileExists(Bundle + "\" + AppExe)
  #error The bundle is missing: build build\pyinstaller\dist\tflab first (docs/installing.md).
#endif

[Setup]
; The AppId identifies tflab for upgrades and the uninstaller: never change it.
AppId={{4F6C2A8E-9B1D-4E57-A3C0-7D2E5B9F1A64}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=tflab
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Classrooms install once for every student account; /CURRENTUSER installs for one user.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#Root}\build
OutputBaseFilename=tflab-{#AppVersion}-windows-x64-setup
Compression=lzma2
SolidCompression=yes
LZMANumBlockThreads=4
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
ChangesAssociations=yes
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder bundle: tflab.exe and _internal\ (Python, TensorFlow, Qt, resources).
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; Double-clicking a .tflab project opens it in tflab.
Root: HKA; Subkey: "Software\Classes\.tflab"; ValueType: string; ValueName: ""; ValueData: "tflab.Project"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\tflab.Project"; ValueType: string; ValueName: ""; ValueData: "tflab project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\tflab.Project\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\tflab.Project\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
