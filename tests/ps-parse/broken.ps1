# broken.ps1: a deliberately broken script; run.sh checks the parser refuses it, so a grammar
# that accepted everything could not pass the test
function Get-Broken {
    param([string]$Name)
    if ($Name -eq "x") {
        Write-Host ("unclosed" + $Name
    }
