; NSIS installer for schemadesk on Windows: a per-user install (no administrator rights),
; a Start menu shortcut, and an entry in "Installed apps" with an uninstaller.
;
; Build on Windows (or Linux with the nsis package), from the repository root:
;   cargo build --release --locked
;   makensis -DVERSION=0.1.0 packaging\windows\schemadesk.nsi
; Output: target\schemadesk-<VERSION>-setup.exe
; Paths below are relative to this file.

Unicode true
!include "MUI2.nsh"

!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef BIN
  !define BIN "..\..\target\release\schemadesk.exe"
!endif
!define APP_NAME "schemadesk"
!define APP_ID "dev.schemadesk.schemadesk"
!define PUBLISHER "The schemadesk authors"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"

Name "${APP_NAME}"
OutFile "..\..\target\${APP_NAME}-${VERSION}-setup.exe"
InstallDir "$LOCALAPPDATA\Programs\${APP_NAME}"
InstallDirRegKey HKCU "Software\${APP_ID}" "InstallDir"
RequestExecutionLevel user
SetCompressor /SOLID lzma

VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP_NAME}"
VIAddVersionKey "FileDescription" "Design, version and ship ZITADEL user schemas"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "Copyright (c) ${PUBLISHER}. Apache-2.0."

!define MUI_ICON "..\..\assets\schemadesk.ico"
!define MUI_UNICON "..\..\assets\schemadesk.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\schemadesk.exe"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "schemadesk" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "/oname=schemadesk.exe" "${BIN}"
  File "/oname=schemadesk.ico" "..\..\assets\schemadesk.ico"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\schemadesk.exe" "" "$INSTDIR\schemadesk.ico"

  WriteRegStr HKCU "Software\${APP_ID}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\schemadesk.ico"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$INSTDIR\schemadesk.exe"
  Delete "$INSTDIR\schemadesk.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "Software\${APP_ID}"
  ; The user's store, settings and logs (in %APPDATA% and %LOCALAPPDATA%\schemadesk) are kept.
SectionEnd
