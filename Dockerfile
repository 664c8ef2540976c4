# One image for every verb of the app: `serve` (the default), `migrate`, `seed`, `model-sql`.
#   docker build -t rotations .
#   docker run --rm -e ROTATIONS_DB=... rotations migrate
# docker-compose.yml builds it for its migrate and web services.

# ---- build -------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore first, from the files that decide the package graph only, so that editing code reuses
# the restored layer. global.json asks for SDK 10.0.401 or a later feature band; the sdk:10.0 tag
# carries the newest band (if an old cached image is refused, build with --pull).
# Only the web project is restored: the solution would pull in the test projects too.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Rotations.Web/Rotations.Web.csproj src/Rotations.Web/
COPY src/Rotations.Planning/Rotations.Planning.csproj src/Rotations.Planning/
RUN dotnet restore src/Rotations.Web/Rotations.Web.csproj

# The web project embeds ../../migrations/*.sql: without this folder `migrate` would have no scripts.
COPY migrations/ migrations/
COPY src/ src/
RUN dotnet publish src/Rotations.Web/Rotations.Web.csproj -c Release -o /app --no-restore

# ---- runtime -----------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./

# The base image creates the non-root user `app` and sets APP_UID to its numeric id (1654);
# a numeric USER lets orchestrators verify runAsNonRoot. It also sets ASPNETCORE_HTTP_PORTS=8080.
USER $APP_UID
EXPOSE 8080
ENTRYPOINT ["dotnet", "Rotations.Web.dll"]
