include(CMakePackageConfigHelpers)

install(DIRECTORY include/modelstate
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS modelstate EXPORT modelstateTargets)
install(EXPORT modelstateTargets
        NAMESPACE modelstate::
        DESTINATION ${CMAKE_INSTALL_DATADIR}/cmake/modelstate)

configure_package_config_file(
  cmake/modelstateConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/modelstateConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_DATADIR}/cmake/modelstate)
write_basic_package_version_file(
  ${CMAKE_CURRENT_BINARY_DIR}/modelstateConfigVersion.cmake
  COMPATIBILITY SameMinorVersion
  ARCH_INDEPENDENT)
install(FILES
  ${CMAKE_CURRENT_BINARY_DIR}/modelstateConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/modelstateConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_DATADIR}/cmake/modelstate)

configure_file(cmake/modelstate.pc.in
               ${CMAKE_CURRENT_BINARY_DIR}/modelstate.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/modelstate.pc
        DESTINATION ${CMAKE_INSTALL_DATADIR}/pkgconfig)
